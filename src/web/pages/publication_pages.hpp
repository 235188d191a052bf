#pragma once
// The Publications section (issue #5): /publications (every published item newest first — news,
// position papers, the Statement of Purpose, published joint responses through
// Site::published_responses — filtered by ?kind= and ?process=, in pages), /publications/SLUG
// with its exports SLUG.pdf (publications::render_pdf over templates/publication_print.mustache),
// SLUG.md and SLUG.txt, /publications/feed.atom, /publications/delivered (statements delivered on
// the coalition's behalf), and the admins' pages under /admin/publications. Handlers parse input,
// make one call to site.publications and render.

#include "publications/publications.hpp"
#include "web/http.hpp"
#include "web/site.hpp"
#include "web/templates.hpp"

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

namespace coalition::web {

// Every entry of the public index, newest first: site.publications' published ones, the current
// Statement of Purpose and site.published_responses() when set.
std::vector<publications::Entry> publication_entries(const Site& site);

// For a "Publications" block on a process page: the newest `limit` entries of the index that
// belong to process `process_slug`, as data for templates/publication_block.mustache
// ({publications: [{title, path, kind_label, date}], has_publications, more_path}).
mstch::map publications_block(const Site& site, const Request& request,
                              std::string_view process_slug, std::size_t limit = 5);

class PublicationPages {
public:
    explicit PublicationPages(Site& site);

    Response index(Request& request) const;      // GET /publications?kind=&process=&page=
    Response item(Request& request) const;       // GET /publications/:slug (also .pdf .md .txt)
    Response feed(Request& request) const;       // GET /publications/feed.atom
    Response delivered(Request& request) const;  // GET /publications/delivered

    Response admin_index(Request& request) const;      // GET /admin/publications
    Response new_publication(Request& request) const;  // GET /admin/publications/new
    Response create(Request& request) const;           // POST /admin/publications
    Response edit(Request& request) const;             // GET /admin/publications/:slug/edit
    Response update(Request& request) const;           // POST /admin/publications/:slug
    Response publish(Request& request) const;          // POST /admin/publications/:slug/publish
    Response unpublish(Request& request) const;        // POST /admin/publications/:slug/unpublish
    Response new_delivery(Request& request) const;     // GET /admin/publications/delivered/new
    Response create_delivery(Request& request) const;  // POST /admin/publications/delivered

private:
    Response export_file(Request& request, const publications::Publication& publication,
                         std::string_view format) const;
    Response form_page(Request& request, const publications::PublicationDraft& draft,
                       const std::vector<core::Error>& errors, const std::string& slug,
                       int status) const;
    Response delivery_page(Request& request, const publications::DeliveryDraft& draft,
                           const std::vector<core::Error>& errors, int status) const;

    Site& site_;
    TemplateRef index_;
    TemplateRef page_;
    TemplateRef print_;
    TemplateRef delivered_;
    TemplateRef admin_;
    TemplateRef form_;
    TemplateRef delivery_form_;
};

}  // namespace coalition::web
