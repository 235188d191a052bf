#pragma once
// The negotiated texts of a process: /processes/SLUG/documents/DOC (the revisions),
// /processes/SLUG/documents/DOC/revisions/N (the text, one anchor a paragraph: id="p-12-bis"),
// /processes/SLUG/documents/DOC/compare?from=N&to=M (the paragraph-aligned comparison, each row
// labelled unchanged / changed / added / removed / moved / split / merged in words, not only
// colour; ?format=md and ?format=html download it), and the moderators' forms to add a document
// and a revision (pasted, or uploaded as a text or Markdown file). Handlers parse input, make one
// call to site.processes (or texts::compare) and render.

#include "processes/processes.hpp"
#include "web/http.hpp"
#include "web/site.hpp"
#include "web/templates.hpp"

#include <mstch/mstch.hpp>

namespace coalition::web {

// {"documents": [...], "has_documents", "can_add_document"} for the Documents section of the
// process page (templates/process_document_list.mustache).
mstch::map process_documents_data(const Site& site, const Request& request,
                                  const processes::Process& process);

class ProcessDocumentPages {
public:
    explicit ProcessDocumentPages(Site& site);
    Response document(Request& request) const;  // GET /processes/:slug/documents/:doc
    Response revision(Request& request) const;  // GET …/documents/:doc/revisions/:number
    Response compare(Request& request) const;   // GET …/documents/:doc/compare[?from&to&format]
    Response new_document(Request& request) const;     // GET /admin/processes/:slug/documents/new
    Response create_document(Request& request) const;  // POST /admin/processes/:slug/documents
    Response new_revision(Request& request) const;  // GET …/documents/:doc/revisions/new (admin)
    // POST /admin/processes/:slug/documents/:doc/revisions: urlencoded or multipart (a file),
    // so this handler checks the CSRF token itself (CsrfCheck::ByHandler).
    Response create_revision(Request& request) const;

private:
    Site& site_;
    TemplateRef document_;
    TemplateRef revision_;
    TemplateRef compare_;
    TemplateRef document_form_;
    TemplateRef revision_form_;
};

}  // namespace coalition::web
