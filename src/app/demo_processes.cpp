#include "app/demo_processes.hpp"

#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace coalition::app {
namespace {

struct DemoProcess {
    const char* slug;
    const char* name;
    const char* short_name;
    const char* kind;
    const char* convenor;
    const char* status;
    const char* links;  // processes::format_links format.
    const char* description;
};

struct DemoMilestone {
    const char* process_slug;
    const char* uid;
    const char* kind;
    const char* title;
    const char* start_date;
    const char* end_date;
    const char* precision;
    bool tentative;
    const char* location_kind;
    const char* location;
    const char* links;
    const char* notes;
};

// Names, convenors and official pages from processes.json; the descriptions are ours.
const std::vector<DemoProcess>& demo_processes() {
    static const std::vector<DemoProcess> processes = {
        {"gdc", "Global Digital Compact", "GDC", "un-process",
         "UN General Assembly (intergovernmental negotiation co-facilitated by the Permanent "
         "Representatives of Sweden and Zambia); follow-up supported by the UN Office for Digital "
         "and Emerging Technologies (ODET)",
         "active",
         "https://www.un.org/en/civil-society/united-nations-summit-future UN: Summit of the "
         "Future",
         "The first UN-wide framework of principles for digital cooperation. Member States "
         "negotiated it through 2024 in successive drafts and adopted it with the **Pact for the "
         "Future** in September 2024.\n\nWhat matters for the technical community now is the "
         "follow-up: a new UN office for digital and emerging technologies, a scientific panel "
         "and a global dialogue on AI, and implementation that leans on WSIS structures such as "
         "the IGF."},
        {"summit-of-the-future", "UN Summit of the Future", "SoF", "un-process",
         "UN General Assembly (Pact co-facilitated by Namibia and Germany)", "concluded",
         "https://www.un.org/en/civil-society/united-nations-summit-future UN: Summit of the "
         "Future",
         "A two-day summit in New York, first proposed in the Secretary-General's *Our Common "
         "Agenda*. It adopted the Pact for the Future, to which the Global Digital Compact and the "
         "Declaration on Future Generations are annexed."},
        {"un-ai-panel-dialogue",
         "Independent International Scientific Panel on AI and Global Dialogue on AI Governance",
         "AI Panel / Global Dialogue", "un-process",
         "UN General Assembly (modalities co-facilitated by Costa Rica and Spain); Global Dialogue "
         "co-chaired by El Salvador and Estonia (per secondary sources)",
         "active", "https://dig.watch/category/sustainable-development/page/37 Digital Watch",
         "Two bodies the Global Digital Compact called for: a panel of 40 scientists that "
         "publishes a yearly assessment of AI, and a yearly dialogue of governments and other "
         "stakeholders on AI governance, meeting in Geneva and New York in turn."},
        {"wsis20", "WSIS+20 Review (20-year review of the World Summit on the Information Society)",
         "WSIS+20", "un-process",
         "UN General Assembly (co-facilitators: Permanent Representatives of Albania and Kenya); "
         "UN DESA as secretariat",
         "concluded", "https://publicadministration.desa.un.org/wsis20 UN DESA: WSIS+20",
         "The General Assembly's look back at two decades of the World Summit on the Information "
         "Society. It ended with a high-level meeting in December 2025 whose consensus outcome "
         "made the **Internet Governance Forum permanent** and set follow-up work that runs into "
         "2027."},
        {"igf", "Internet Governance Forum", "IGF", "forum",
         "UN Secretary-General, organised by UN DESA and the IGF Secretariat, programme advised by "
         "the Multistakeholder Advisory Group (MAG)",
         "active", "https://www.intgovforum.org/ IGF website",
         "The UN's open forum where every stakeholder group discusses internet public policy on "
         "equal terms, set up by the Tunis Agenda. Beyond its yearly meeting it has intersessional "
         "work and more than a hundred national and regional IGFs. Since the WSIS+20 outcome its "
         "mandate no longer needs renewing."},
        {"netmundial10", "NETmundial+10: global challenges for the governance of the digital world",
         "NETmundial+10", "forum", "Brazilian Internet Steering Committee (CGI.br)", "concluded",
         "https://dig.watch/resource/netmundial10-multistakeholder-statement Digital Watch: the "
         "statement",
         "A meeting in São Paulo ten years after NETmundial 2014. Its statement carries the **São "
         "Paulo Multistakeholder Guidelines**, a practical checklist for running inclusive "
         "governance processes that later UN drafts cite."},
        {"icann-meetings", "ICANN Public Meetings", "ICANN meetings", "meeting-series", "ICANN",
         "active", "https://meetings.icann.org/ ICANN meetings",
         "ICANN's three public meetings a year — a Community Forum in March, a Policy Forum in "
         "June and the Annual General Meeting in the autumn — move between the world's regions. "
         "Each follows an online Prep Week, and anyone can take part in person or remotely."},
        {"icann-public-comment", "ICANN Public Comment", "ICANN Public Comment", "consultation",
         "ICANN org (on behalf of Supporting Organizations, Advisory Committees, Board and org "
         "teams)",
         "active", "https://www.icann.org/public-comments ICANN Public Comment",
         "ICANN's standing way of asking for input on policy recommendations, reviews and budgets. "
         "Each proceeding opens and closes on set dates, normally at least 40 days apart; every "
         "submission is published, and staff summarise them in a report after the close."},
        {"cstd", "UN Commission on Science and Technology for Development", "CSTD",
         "meeting-series", "ECOSOC subsidiary body; secretariat provided by UNCTAD", "active",
         "https://unctad.org/osgstatement/commission-science-and-technology-development-28th-"
         "session UNCTAD: CSTD 28th session",
         "The ECOSOC commission that checks progress on WSIS every year and drafts the yearly "
         "ECOSOC resolution on its follow-up. It wrote the twenty-year WSIS report for the General "
         "Assembly and has tasks under the Global Digital Compact."},
        {"wsis-forum", "WSIS Forum (incl. WSIS+20 High-Level Events)", "WSIS Forum",
         "meeting-series",
         "ITU, co-organised with UNESCO, UNDP and UNCTAD; co-hosted with Switzerland", "active",
         "https://www.itu.int/net4/wsis/forum/ ITU: WSIS Forum",
         "A yearly week in Geneva on putting the WSIS Action Lines into practice. In 2024 and 2025 "
         "it fed the General Assembly's review as the WSIS+20 High-Level Event; in 2026 it shares "
         "its week with AI for Good and the first Global Dialogue on AI Governance."},
        {"itu-pp26", "ITU Plenipotentiary Conference 2026", "PP-26", "meeting-series",
         "International Telecommunication Union (Member States)", "active",
         "https://pp.itu.int/2026/en/ ITU: PP-26",
         "ITU's treaty conference, held every four years, where Member States set the Union's "
         "policy, strategy and budget and elect its leadership, Council and Radio Regulations "
         "Board. The 2026 conference in Doha also hears how ITU takes up the WSIS+20 outcome."},
    };
    return processes;
}

// Generated once from shared/data/governance/processes.json: dates, titles, places, notes and
// source links as sourced there.
const std::vector<DemoMilestone>& demo_milestones() {
    static const std::vector<DemoMilestone> milestones = {
        {"gdc", "gdc-policy-brief-5", "report",
         "UN Secretary-General publishes Our Common Agenda Policy Brief 5 on a Global Digital "
         "Compact",
         "2023-05-01", "", "month", false, "none", "",
         "https://dig.watch/resource/"
         "a-global-digital-compact-an-open-free-and-secure-digital-future-for-all-our-common-"
         "agenda-policy-brief-5 Document (Digital Watch, 'A Global Digital Compact - an Open, Free "
         "and Secure Digital Future for All (Policy Brief 5)')",
         ""},
        {"gdc", "gdc-cofacs-appointed", "other",
         "PGA appoints Sweden and Zambia as GDC co-facilitators", "2023-10-01", "", "month", false,
         "none", "",
         "http://ngosbeyond2014.org/articles/2024/1/4/"
         "summit-of-the-future-no-10-co-facilitators-for-a-global-digi.html Source: NGOs Beyond "
         "2014, Summit of the Future No 10",
         "Month only; the source says 'appointed in October 2023'."},
        {"gdc", "gdc-consult-1-ms", "meeting",
         "First informal consultation with Member States and observers", "2024-02-12", "", "day",
         false, "in-person", "New York (UN HQ)",
         "http://ngosbeyond2014.org/articles/2024/1/4/"
         "summit-of-the-future-no-10-co-facilitators-for-a-global-digi.html Source: NGOs Beyond "
         "2014, Summit of the Future No 10",
         ""},
        {"gdc", "gdc-consult-1-stakeholders", "meeting",
         "First informal consultation with stakeholders", "2024-02-13", "", "day", false, "hybrid",
         "New York",
         "http://ngosbeyond2014.org/articles/2024/1/4/"
         "summit-of-the-future-no-10-co-facilitators-for-a-global-digi.html Source: NGOs Beyond "
         "2014, Summit of the Future No 10",
         ""},
        {"gdc", "gdc-consult-2-ms", "meeting",
         "Second informal consultation with Member States and observers (Trusteeship Council "
         "Chamber)",
         "2024-02-29", "", "day", false, "in-person", "New York (UN HQ)",
         "http://ngosbeyond2014.org/articles/2024/2/24/"
         "summit-of-the-future-no-18-global-digital-compact-second-inf.html?printerFriendly=true "
         "Source: NGOs Beyond 2014, Summit of the Future No 18",
         ""},
        {"gdc", "gdc-consult-2-stakeholders", "meeting",
         "Second informal consultation with stakeholders (virtual)", "2024-03-01", "", "day", false,
         "online", "",
         "http://ngosbeyond2014.org/articles/2024/2/24/"
         "summit-of-the-future-no-18-global-digital-compact-second-inf.html?printerFriendly=true "
         "Source: NGOs Beyond 2014, Summit of the Future No 18",
         ""},
        {"gdc", "gdc-written-input-deadline", "deadline",
         "Deadline for written inputs ahead of the zero draft", "2024-03-08", "", "day", false,
         "none", "",
         "http://ngosbeyond2014.org/articles/2024/2/24/"
         "summit-of-the-future-no-18-global-digital-compact-second-inf.html?printerFriendly=true "
         "Source: NGOs Beyond 2014, Summit of the Future No 18",
         ""},
        {"gdc", "gdc-zero-draft", "report", "Zero draft of the GDC released", "2024-04-01", "",
         "day", false, "none", "",
         "https://dnheadlines.com/?p=8630 Source: DNHeadlines, 'zero draft on April 1, 2024'",
         "Formally introduced to Member States on 5 April 2024 (see next milestone)."},
        {"gdc", "gdc-zero-draft-introduced", "negotiation-round",
         "Zero draft introduced to Member States (Trusteeship Council Chamber, webcast)",
         "2024-04-05", "", "day", false, "in-person", "New York (UN HQ)",
         "http://ngosbeyond2014.org/articles/2024/4/9/"
         "summit-of-the-future-no-26-zero-draft-of-global-digital-comp.html Source: NGOs Beyond "
         "2014, Summit of the Future No 26",
         ""},
        {"gdc", "gdc-first-reading-1", "negotiation-round",
         "First reading of the zero draft begins", "2024-04-12", "", "day", false, "in-person",
         "New York (UN HQ)",
         "http://ngosbeyond2014.org/articles/2024/4/9/"
         "summit-of-the-future-no-26-zero-draft-of-global-digital-comp.html Source: NGOs Beyond "
         "2014, Summit of the Future No 26",
         ""},
        {"gdc", "gdc-stakeholder-update-apr", "meeting",
         "Co-facilitators' stakeholder update meeting", "2024-04-24", "", "day", false, "none", "",
         "http://ngosbeyond2014.org/articles/2024/4/9/"
         "summit-of-the-future-no-26-zero-draft-of-global-digital-comp.html Source: NGOs Beyond "
         "2014, Summit of the Future No 26",
         ""},
        {"gdc", "gdc-first-reading-2", "negotiation-round",
         "First reading continues (Conference Room 1)", "2024-05-02", "2024-05-03", "day", false,
         "in-person", "New York (UN HQ)",
         "http://ngosbeyond2014.org/articles/2024/4/9/"
         "summit-of-the-future-no-26-zero-draft-of-global-digital-comp.html Source: IISD SDG "
         "Knowledge Hub",
         ""},
        {"gdc", "gdc-rev1", "report",
         "Revised draft (Rev.1) released; presented to delegations on 16 May", "2024-05-15", "",
         "day", false, "none", "",
         "https://dig.watch/resource/global-digital-compact-rev1 "
         "Document\nhttps://dig.watch/?p=173388 Source: Digital Watch, 'Revised version of Global "
         "Digital Compact draft made available'",
         ""},
        {"gdc", "gdc-rev1-reading-1", "negotiation-round", "Section-by-section reading of Rev.1",
         "2024-06-06", "2024-06-07", "day", false, "in-person", "New York (UN HQ)",
         "https://sdg.iisd.org/news/"
         "revised-draft-of-global-digital-compact-streamlines-commitments/ Source: IISD SDG "
         "Knowledge Hub",
         ""},
        {"gdc", "gdc-rev1-reading-2", "negotiation-round", "Further negotiation meetings on Rev.1",
         "2024-06-20", "2024-06-21", "day", false, "in-person", "New York (UN HQ)",
         "https://sdg.iisd.org/news/"
         "revised-draft-of-global-digital-compact-streamlines-commitments/ Source: IISD SDG "
         "Knowledge Hub",
         ""},
        {"gdc", "gdc-rev2", "report", "Rev.2 of the GDC (document dated 26 June 2024)",
         "2024-06-26", "", "day", true, "none", "", "",
         "Source: Date taken from the header of the Rev.2 text as reproduced on a third-party "
         "document-sharing site; official UN copy not located in this research"},
        {"gdc", "gdc-rev3-silence", "negotiation-round", "Rev.3 circulated under silence procedure",
         "2024-07-12", "", "day", false, "none", "",
         "https://internetsociety.org/issues/internet-governance/news-updates/gdc-rev-3 Source: "
         "Internet Society, 'Global Digital Compact Rev.3: Internet Society's Views'",
         ""},
        {"gdc", "gdc-rev3-silence-deadline", "deadline",
         "Deadline to break silence on Rev.3 (silence was subsequently broken)", "2024-07-16", "",
         "day", false, "none", "",
         "https://globalradar-analysis.blogspot.com/2024/09/"
         "revision-4-of-global-digital-compact.html Source: Internet Society, GDC Rev.3 views "
         "(https://internetsociety.org/issues/internet-governance/news-updates/gdc-rev-3); Global "
         "Radar, Rev.4 analysis (notes Rev.3 silence was broken)",
         ""},
        {"gdc", "gdc-stakeholder-consult-aug", "meeting",
         "Open stakeholder consultation on the latest draft, convened by the Office of the Tech "
         "Envoy",
         "2024-08-22", "", "day", false, "online", "",
         "https://dnsrf.org/blog/global-digital-compact-bartering-for-the-internet-future/"
         "index.html Source: DNS Research Federation, 'Global Digital Compact revision 4'",
         ""},
        {"gdc", "gdc-rev4-silence", "negotiation-round",
         "Rev.4 placed under silence procedure (broken two days later)", "2024-08-27", "", "day",
         false, "none", "",
         "https://globalradar-analysis.blogspot.com/2024/09/"
         "revision-4-of-global-digital-compact.html Source: Global Radar, 'Silence Broken. "
         "Revision 4 of the GDC'",
         ""},
        {"gdc", "gdc-rev4-silence-broken", "negotiation-round",
         "Co-facilitators announce silence on Rev.4 was broken", "2024-08-29", "", "day", false,
         "none", "",
         "https://globalradar-analysis.blogspot.com/2024/09/"
         "revision-4-of-global-digital-compact.html Source: Global Radar, Rev.4 analysis",
         ""},
        {"gdc", "gdc-revised-text", "negotiation-round",
         "Co-facilitators send 'revised text' of the GDC to the PGA", "2024-09-09", "", "day",
         false, "none", "",
         "https://globalradar-analysis.blogspot.com/2024/09/"
         "global-digital-compact-final-proposal.html Source: Global Radar, 'Global Digital "
         "Compact: Final Proposal'",
         ""},
        {"gdc", "gdc-adopted", "adoption",
         "GDC adopted as an annex to the Pact for the Future (A/RES/79/1) at the Summit of the "
         "Future",
         "2024-09-22", "", "day", false, "in-person", "New York (UN HQ)",
         "https://dig.watch/?p=186507 Document (Digital Watch, annotated GDC "
         "text)\nhttps://www.un.org/en/civil-society/united-nations-summit-future Source: UN, "
         "Summit of the Future page",
         ""},
        {"gdc", "gdc-odet", "other",
         "UN General Assembly decision to transition the Tech Envoy's office into an Office for "
         "Digital and Emerging Technologies (GDC para. 72 follow-up)",
         "2024-12-24", "", "day", false, "none", "",
         "https://dig.watch/updates/"
         "un-office-for-digital-and-emerging-technologies-established-as-a-follow-up-to-the-global-"
         "digital-compact Source: Digital Watch, 'UN Office for Digital and Emerging Technologies "
         "established'",
         ""},
        {"gdc", "gdc-ai-mechanisms-adopted", "adoption",
         "GA adopts A/RES/79/325 establishing the Independent International Scientific Panel on AI "
         "and the Global Dialogue on AI Governance (GDC follow-up)",
         "2025-08-26", "", "day", false, "in-person", "New York (UN HQ)",
         "https://dig.watch/category/sustainable-development/page/37 Source: Digital Watch news "
         "listing, 'UNGA adopts terms of reference for AI Scientific Panel and Global Dialogue'",
         "Detailed chain in process 'un-ai-dialogue-panel'."},
        {"gdc", "gdc-wsis20-implementation", "adoption",
         "WSIS+20 outcome (A/RES/80/173) sets out how the GDC is to be implemented alongside WSIS",
         "2025-12-17", "", "day", false, "in-person", "New York (UN HQ)",
         "https://www.pubt.io/view/739B9E42BE5811001499095895EF24D0CE14EF6F Source: European "
         "Commission statement of 18 Dec 2025 (via pubt.io)",
         "The Commission statement says the outcome 'frames how the landmark Global Digital "
         "Compact will be implemented'; paragraph-level detail not verified."},
        {"summit-of-the-future", "sof-summit", "meeting", "Summit of the Future", "2024-09-22",
         "2024-09-23", "day", false, "in-person", "New York (UN HQ)",
         "https://news.cgtn.com/news/2024-09-23/"
         "Summit-of-the-Future-reaches-consensus-on-sustainable-development-1x7KYhQtgfC/"
         "share_amp.html Source: CGTN report of 22 Sept "
         "2024\nhttps://bahrain.un.org/en/"
         "279531-un-assembly-president-urges-nations-sustain-momentum-summit-future Source: UN "
         "Bahrain, PGA closing remarks",
         ""},
        {"summit-of-the-future", "sof-pact-adopted", "adoption",
         "Pact for the Future (A/RES/79/1) adopted with its annexes, without a vote, at the "
         "opening of the Summit",
         "2024-09-22", "", "day", false, "in-person", "New York (UN HQ)",
         "https://www.un.org/en/civil-society/united-nations-summit-future Source: UN, Summit of "
         "the Future page\nhttps://www.nationthailand.com/blogs/news/world/40041806 Source: Nation "
         "Thailand",
         ""},
        {"un-ai-panel-dialogue", "ai-zero-draft", "negotiation-round",
         "Zero draft of the modalities resolution circulated by co-facilitators Costa Rica and "
         "Spain",
         "2025-03-19", "", "day", false, "none", "",
         "https://pt.hi-network.com/"
         "zero-draft-resolution-for-scientific-panel-on-ai-and-global-dialogue-on-ai-governance-"
         "published.html Source: Mirror of a Digital Watch update, 'Zero draft resolution for "
         "scientific panel on AI and global dialogue'",
         ""},
        {"un-ai-panel-dialogue", "ai-l118", "report",
         "Draft resolution A/79/L.118 (terms of reference and modalities) issued", "2025-08-18", "",
         "day", false, "none", "",
         "https://www.ddg.fr/actualite/"
         "towards-global-ai-governance-a-key-step-at-the-united-nations Source: DDG, 'Towards "
         "global AI governance: a key step at the United Nations'",
         ""},
        {"un-ai-panel-dialogue", "ai-res-79-325", "adoption", "A/RES/79/325 adopted by consensus",
         "2025-08-26", "", "day", false, "in-person", "New York (UN HQ)",
         "https://dig.watch/category/sustainable-development/page/37 Source: Digital Watch news "
         "listing\nhttps://simoninstitute.ch/blog/post/"
         "adoption-of-the-independent-international-scientific-panel-on-ai-and-the-global-dialogue-"
         "on-ai-governance Source: Simon Institute commentary",
         ""},
        {"un-ai-panel-dialogue", "ai-dialogue-launch", "meeting",
         "High-level launch of the Global Dialogue on AI Governance", "2025-09-25", "", "day", true,
         "in-person", "New York (UN HQ)",
         "https://www.ungeneva.org/en/director-general/tatiana-valovaya/activities/2025/11/"
         "director-generals-remarks-opening-geneva Source: UN Geneva Director-General remarks, 25 "
         "Nov 2025 (refers to the 25 September launch)",
         "Location inferred from press reports of a UN high-level meeting during UNGA80 high-level "
         "week; not stated in the cited UN Geneva text."},
        {"un-ai-panel-dialogue", "ai-dialogue-geneva-2026", "meeting",
         "First Global Dialogue on AI Governance session, alongside AI for Good and the WSIS Forum",
         "2026-07-06", "2026-07-07", "day", true, "in-person", "Geneva (Palexpo)",
         "https://globalcitieshub.org/en/wsis-ai-for-good-2026 Source: Secondary sources: "
         "vectrel.ai blog and spoonai.me (6-7 July 2026, Palexpo); Global Cities Hub (back-to-back "
         "with AI for Good)",
         "UN spokesperson (via RTT/finanznachrichten) said July 2026 in Geneva; exact days only "
         "from secondary sources."},
        {"un-ai-panel-dialogue", "ai-dialogue-ny-2027", "meeting",
         "Global Dialogue on AI Governance to meet in New York", "2027-01-01", "", "year", true,
         "in-person", "New York",
         "https://www.finanznachrichten.de/nachrichten-2025-08/"
         "66282681-un-announces-two-new-mechanisms-to-promote-cooperation-on-ai-governance-020.htm "
         "Source: RTT News via finanznachrichten.de, 27 Aug 2025",
         "Year only."},
        {"wsis20", "wsis20-ecosoc-2023-3", "other",
         "ECOSOC resolution E/RES/2023/3 asks CSTD to collect WSIS+20 inputs (2024, 2025 sessions) "
         "and report to the GA by June 2025",
         "2023-01-01", "", "year", false, "none", "",
         "https://publicadministration.desa.un.org/wsis20/Documents/"
         "WSIS%20%2B20%20Reviews%20by%20the%20United%20Nations%20System Source: UN DESA WSIS+20 "
         "page, 'WSIS+20 Reviews by the United Nations System'",
         "Year only."},
        {"wsis20", "wsis20-cstd-consult-kyoto", "meeting",
         "CSTD open consultation 'WSIS at 20: successes, failures and future expectations' at IGF "
         "2023",
         "2023-10-10", "", "day", false, "in-person", "Kyoto, Japan",
         "https://itforchange.net/index.php/"
         "input-to-cstd-open-consultation-on-wsis-at-20-successes-failures-and-future-expectations "
         "Source: IT for Change",
         ""},
        {"wsis20", "wsis20-modalities-cofacs", "other",
         "PGA appoints Kenya and Lithuania as co-facilitators for the modalities resolution",
         "2025-01-01", "", "month", false, "none", "",
         "https://dig.watch/?p=169458 Source: Digital Watch, WSIS+20 process page", ""},
        {"wsis20", "wsis20-modalities-adopted", "adoption",
         "Modalities resolution A/RES/79/277 adopted (HLM on 16-17 Dec 2025)", "2025-03-27", "",
         "day", true, "none", "",
         "https://dig.watch/?p=237866 Source: Text of A/80/L.41 on Digital Watch ('adopted by the "
         "General Assembly on 27 March 2025')",
         "Digital Watch's process page gives 25 March 2025; the resolution text and the zero draft "
         "both say 27 March 2025."},
        {"wsis20", "wsis20-cofacs", "other",
         "Albania and Kenya appointed co-facilitators of the overall review", "2025-04-01", "",
         "month", false, "none", "", "https://www.afnic.fr/en/?p=37086 Source: Afnic", ""},
        {"wsis20", "wsis20-cstd-report", "report",
         "CSTD 28th session agrees its 20-year review report on WSIS implementation", "2025-04-07",
         "2025-04-11", "day", false, "in-person", "Geneva",
         "https://eurodigwiki.org/wiki/"
         "Why_the_WSIS%2B20_Review_Matters_and_How_National_and_Regional_IGFs_Can_Enhance_"
         "Stakeholder_Participation_%E2%80%93_MT_01_2025 Source: EuroDIG wiki, session MT 01 2025",
         ""},
        {"wsis20", "wsis20-prep-1", "meeting", "1st Preparatory Meeting and Stocktaking Session",
         "2025-05-30", "", "day", false, "in-person", "New York (UN HQ)",
         "https://publicadministration.desa.un.org/wsis20/1stPreparatoryMeetingStocktakingSession "
         "Document\nhttps://lists.icann.org/hyperkitty/list/wsis20@icann.org/message/"
         "NZ3SAITQ7MHN6SJBHVUKQMQOBKT6AMCX/ Source: ICANN wsis20 list (ISOC Live summary)",
         ""},
        {"wsis20", "wsis20-elements-paper", "consultation-opens",
         "Co-facilitators release the Elements Paper; written inputs invited", "2025-06-20", "",
         "day", false, "none", "",
         "https://publicadministration.desa.un.org/sites/default/files/2021-04/2025/"
         "WSIS%2B20_ElementsPaper_20June.pdf "
         "Document\nhttps://policy-advocacy.gfmd.info/gfmd-initiatives/un-advocacy/wsis+20-review/"
         "how-to-engage-in-the-wsis+20-review-process Source: GFMD, 'How to engage in the WSIS+20 "
         "review process'",
         ""},
        {"wsis20", "wsis20-consult-igf2025", "meeting",
         "Open consultation session with the co-facilitators at IGF 2025", "2025-06-25", "", "day",
         false, "in-person", "Lillestrøm, Norway",
         "https://dig.watch/event/internet-governance-forum-2025/"
         "wsis20-open-consultation-session-with-co-facilitators Source: Digital Watch session "
         "report",
         ""},
        {"wsis20", "wsis20-consult-hle", "meeting",
         "Multistakeholder consultation with co-facilitators at the WSIS+20 High-Level Event",
         "2025-07-09", "", "day", false, "in-person", "Geneva",
         "https://dig.watch/event/wsis20-high-level-event-2025/"
         "wsis20-overall-review-multistakeholder-consultation-with-co-facilitators Source: Digital "
         "Watch session report",
         ""},
        {"wsis20", "wsis20-elements-deadline", "deadline",
         "Extended deadline for written inputs on the Elements Paper", "2025-07-25", "", "day",
         false, "none", "",
         "https://dig.watch/event/wsis20-high-level-event-2025/"
         "wsis20-overall-review-multistakeholder-consultation-with-co-facilitators Source: Digital "
         "Watch report of the 9 July consultation",
         ""},
        {"wsis20", "wsis20-consult-virtual", "meeting",
         "Follow-up informal stakeholder consultation (virtual)", "2025-07-29", "", "day", false,
         "online", "",
         "https://policy-advocacy.gfmd.info/gfmd-initiatives/un-advocacy/wsis+20-review/"
         "how-to-engage-in-the-wsis+20-review-process Source: GFMD",
         ""},
        {"wsis20", "wsis20-zero-draft", "report", "Zero draft of the outcome document published",
         "2025-08-29", "", "day", false, "none", "",
         "https://dig.watch/resource/wsis20-review-zero-draft "
         "Document\nhttps://www.afnic.fr/en/?p=37086 Source: Afnic",
         ""},
        {"wsis20", "wsis20-consult-icann84", "meeting",
         "Co-facilitators hold stakeholder consultations at ICANN84", "2025-10-25", "2025-10-30",
         "day", false, "in-person", "Dublin, Ireland",
         "https://comlaude.com/what-to-expect-at-icann-84 Source: Com Laude, 'What to expect at "
         "ICANN 84'",
         "Exact session date within ICANN84 not found."},
        {"wsis20", "wsis20-rev1", "report", "Revision 1 of the outcome document", "2025-11-07", "",
         "day", false, "none", "", "https://www.afnic.fr/en/?p=37086 Source: Afnic", ""},
        {"wsis20", "wsis20-open-door", "meeting", "Open Door sessions 1 and 2 on Rev.1",
         "2025-11-12", "", "day", false, "none", "",
         "https://lists.icann.org/hyperkitty/list/wsis20@icann.org/message/"
         "WZ74FCKAFFZHLF5IJQX23QEG3B47VA3O/attachment/2/attachment.html Source: ICANN wsis20 list "
         "message",
         ""},
        {"wsis20", "wsis20-hlm-registration", "deadline",
         "Registration deadline for non-Member-State participants in the high-level meeting (UN "
         "Indico)",
         "2025-11-14", "", "day", false, "none", "",
         "https://cadeproject.org/events/un-general-assembly-high-level-meeting-on-wsis20-review "
         "Source: CADE project event page",
         ""},
        {"wsis20", "wsis20-rev2", "report", "Revision 2 of the outcome document published",
         "2025-12-03", "", "day", false, "none", "",
         "https://dig.watch/?p=236612 Source: Digital Watch, 'Revision 2 of the WSIS+20 outcome "
         "document released'\nhttps://jprs.co.jp/en/topics/2025/251209.html Source: JPRS",
         ""},
        {"wsis20", "wsis20-imsb-consult", "meeting",
         "Virtual stakeholder consultation convened by the Informal Multistakeholder Sounding "
         "Board (TCCM joint input on Rev.2 presented)",
         "2025-12-08", "", "day", false, "online", "",
         "https://jprs.co.jp/en/topics/2025/251209.html Source: JPRS", ""},
        {"wsis20", "wsis20-hlm", "meeting",
         "UN General Assembly high-level meeting on the WSIS+20 review", "2025-12-16", "2025-12-17",
         "day", false, "in-person", "New York (UN HQ)",
         "https://dig.watch/?p=169458 Source: Digital Watch, WSIS+20 process "
         "page\nhttps://dig.watch/?p=237866 Source: Text of A/80/L.41",
         ""},
        {"wsis20", "wsis20-outcome-adopted", "adoption",
         "Outcome document (A/RES/80/173) adopted by consensus; IGF given a permanent mandate",
         "2025-12-17", "", "day", false, "in-person", "New York (UN HQ)",
         "https://www.itu.int/net4/wsis/ungis/Articles/View/1213 Document (ITU/UNGIS WSIS+20 "
         "page)\nhttps://www.afnic.fr/en/?p=37086 Source: "
         "Afnic\nhttps://dig.watch/event/unga-wsis20/afternoon-session-2 Source: European "
         "Commission statement via pubt.io "
         "(https://www.pubt.io/view/739B9E42BE5811001499095895EF24D0CE14EF6F); Digital Watch "
         "session report (ISOC welcomed the permanent IGF)",
         "Rev.3 and a compromise Rev.4 both saw silence broken before the PGA intervened (Afnic); "
         "dates of those steps not found."},
        {"wsis20", "wsis20-financing-taskforce-report", "report",
         "UNGIS internal task force on financing mechanisms to report to CSTD 30th session "
         "(A/RES/80/173 para. 67)",
         "2027-01-01", "", "year", false, "none", "",
         "https://www.itu.int/net4/wsis/ungis/Articles/View/1213 Source: ITU/UNGIS WSIS+20 page",
         "Year only."},
        {"igf", "igf2023-proposals-closed", "deadline",
         "IGF 2023 session proposals close (record number received)", "2023-05-24", "", "day",
         false, "none", "",
         "https://mediarightsagenda.org/2023-igf-receives-record-number-of-session-proposals "
         "Source: Media Rights Agenda",
         ""},
        {"igf", "igf2023", "meeting", "18th IGF: 'The Internet We Want - Empowering All People'",
         "2023-10-08", "2023-10-12", "day", false, "in-person", "Kyoto, Japan",
         "https://www.intgovforum.org/en/dashboard/igf-2023 Document (IGF 2023 dashboard)", ""},
        {"igf", "igf2024-oc1", "meeting", "IGF 2024 First Open Consultations and MAG meeting",
         "2024-02-27", "2024-02-29", "day", false, "in-person", "Riyadh, Saudi Arabia",
         "https://intgovforum.org/en/content/igf-2024-first-open-consultations-and-mag-meeting "
         "Source: IGF, meeting agenda",
         ""},
        {"igf", "igf2024-oc2", "meeting",
         "IGF 2024 Second Open Consultations and MAG meeting (workshop selection)", "2024-06-26",
         "2024-06-28", "day", false, "none", "",
         "https://intgovforum.org/en/node?page=7 Source: IGF site listing", ""},
        {"igf", "igf2025-host-announced", "other",
         "Norway announced as host of IGF 2025 (chosen over Russia)", "2024-11-11", "", "day", true,
         "none", "",
         "https://www.thestar.com.my/news/world/2024/11/12/"
         "norway-to-host-2025-un-internet-governance-forum Source: The Star (Xinhua), 12 Nov 2024: "
         "Norwegian government press release 'on "
         "Monday'\nhttps://regjeringen.no/no/aktuelt/"
         "norway-to-host-igf-the-worlds-largest-forum-for-the-future-of-the-internet/id3073875 "
         "Source: Norwegian government",
         "Date derived from 'press release on Monday' in a 12 Nov 2024 report."},
        {"igf", "igf2024", "meeting", "19th IGF: 'Building our Multistakeholder Digital Future'",
         "2024-12-15", "2024-12-19", "day", false, "in-person", "Riyadh, Saudi Arabia",
         "https://www.intgovforum.org/en/content/igf-2024-themes "
         "Document\nhttps://intgovforum.org/en/node?page=7 Source: IGF site listing",
         ""},
        {"igf", "igf2025", "meeting", "20th IGF: 'Building Digital Governance Together'",
         "2025-06-23", "2025-06-27", "day", false, "in-person", "Lillestrøm, Norway",
         "https://media.intgovforum.org/en/content/igf-2025-participation-and-programme-statistics "
         "Source: IGF 2025 participation statistics",
         ""},
        {"igf", "igf-permanent", "adoption",
         "WSIS+20 outcome (A/RES/80/173) makes the IGF a permanent forum", "2025-12-17", "", "day",
         false, "in-person", "New York (UN HQ)",
         "https://www.pubt.io/view/739B9E42BE5811001499095895EF24D0CE14EF6F Source: European "
         "Commission statement via "
         "pubt.io\nhttps://mail.intgovforum.org/pipermail/pnai_intgovforum.org/2025-December/"
         "000739.html Source: IGF newsletter, Dec 2025",
         ""},
        {"netmundial10", "nm10-proposal", "other",
         "CGI.br presents its proposal to hold NETmundial+10 in 2024", "2023-11-23", "", "day",
         false, "none", "",
         "https://cg.org.br/noticia/notas/"
         "netmundial-10-global-challenges-for-the-governance-of-the-digital-world/ Source: CGI.br "
         "note",
         ""},
        {"netmundial10", "nm10-consultation", "consultation-opens",
         "Preliminary programme published and online consultation opened (inputs feed the final "
         "statement)",
         "2024-03-26", "", "day", false, "none", "",
         "https://www.cgi.br/noticia/releases/"
         "netmundial-10-announces-program-and-opens-online-consultation-on-the-governance-of-the-"
         "digital-world/ Source: CGI.br release",
         ""},
        {"netmundial10", "nm10-meeting", "meeting", "NETmundial+10 meeting", "2024-04-29",
         "2024-04-30", "day", false, "in-person", "São Paulo, Brazil",
         "https://auda.org.au/blog/"
         "netmundial10-strengthening-multi-stakeholder-internet-governance Source: auDA report",
         ""},
        {"netmundial10", "nm10-statement", "adoption",
         "NETmundial+10 Multistakeholder Statement incl. the São Paulo Multistakeholder Guidelines",
         "2024-04-30", "", "day", false, "in-person", "São Paulo, Brazil",
         "https://dig.watch/resource/netmundial10-multistakeholder-statement Source: Digital "
         "Watch, statement text",
         ""},
        {"netmundial10", "nm10-six-languages", "report",
         "Book launch of the Statement in the six UN languages (IGF 2025 Launch/Award Event #159)",
         "2025-06-01", "", "month", false, "in-person", "Lillestrøm, Norway",
         "https://intgovforum.org/en/content/"
         "igf-2025-launch-award-event-159-book-launch-netmundial10-statement-in-the-6-un-languages "
         "Source: IGF session page",
         "Month only (IGF 2025 ran 23-27 June)."},
        {"icann-meetings", "icann78", "meeting", "ICANN78 Annual General Meeting", "2023-10-21",
         "2023-10-26", "day", true, "in-person", "Hamburg, Germany",
         "https://wikimili.com/en/List_of_ICANN_meetings Source: List of ICANN meetings (wikimili, "
         "Wikipedia mirror)",
         "Secondary source only."},
        {"icann-meetings", "icann79-prep", "meeting", "ICANN79 Prep Week (online)", "2024-02-20",
         "2024-02-22", "day", false, "online", "",
         "https://meetings.icann.org/en/meetings/icann79/ Source: ICANN79 meeting site", ""},
        {"icann-meetings", "icann79", "meeting", "ICANN79 Community Forum (hosted by nic.pr)",
         "2024-03-02", "2024-03-07", "day", false, "in-person", "San Juan, Puerto Rico",
         "https://meetings.icann.org/en/meetings/icann79/ Document (ICANN79 meeting site)", ""},
        {"icann-meetings", "icann80-hlgm", "meeting",
         "GAC High Level Governmental Meeting before ICANN80", "2024-06-09", "", "day", false,
         "in-person", "Kigali, Rwanda",
         "https://comlaude.com/icann-80-policy-forum-kigali-preview Source: Com Laude ICANN80 "
         "preview",
         ""},
        {"icann-meetings", "icann80", "meeting", "ICANN80 Policy Forum", "2024-06-10", "2024-06-13",
         "day", false, "in-person", "Kigali, Rwanda",
         "https://www.icann.org/en/blogs/details/"
         "a-preview-of-the-icann80-policy-forum-05-06-2024-en Source: ICANN blog, 'A Preview of "
         "the ICANN80 Policy Forum'",
         ""},
        {"icann-meetings", "icann81", "meeting", "ICANN81 Annual General Meeting (hosted by BTK)",
         "2024-11-09", "2024-11-14", "day", false, "in-person", "Istanbul, Türkiye",
         "https://gac.icann.org/agendas/icann81-hybrid-meeting-agenda?language_id=2 Source: GAC "
         "ICANN81 agenda",
         ""},
        {"icann-meetings", "icann82", "meeting", "ICANN82 Community Forum", "2025-03-08",
         "2025-03-13", "day", true, "in-person", "Seattle, USA",
         "https://icannwiki.org/ICANN_82 Source: ICANNWiki, ICANN 82",
         "Secondary source (ICANNWiki)."},
        {"icann-meetings", "icann83", "meeting", "ICANN83 Policy Forum (supported by CZ.NIC)",
         "2025-06-09", "2025-06-12", "day", false, "in-person", "Prague, Czechia",
         "https://www.vip.icann.org/resources/press-material/release-2025-05-28-en Source: ICANN "
         "press release, 28 May 2025",
         ""},
        {"icann-meetings", "icann84", "meeting",
         "ICANN84 Annual General Meeting (moved from Muscat to Dublin, same dates)", "2025-10-25",
         "2025-10-30", "day", false, "in-person", "Dublin, Ireland",
         "https://comlaude.com/what-to-expect-at-icann-84 Source: Com "
         "Laude\nhttps://myemail.constantcontact.com/"
         "ICANN84-Ends-Today--Read-the-Newsletter-for-Highlights-From-the-Last-Day.html?soid="
         "1118638566701&aid=0ITIqh4fBsE Source: ICANN84 newsletter",
         ""},
        {"icann-meetings", "icann85", "meeting", "ICANN85 Community Forum (hosted by NIXI)",
         "2026-03-07", "2026-03-12", "day", false, "in-person", "Mumbai, India",
         "https://myemail.constantcontact.com/"
         "ICANN84-Ends-Today--Read-the-Newsletter-for-Highlights-From-the-Last-Day.html?soid="
         "1118638566701&aid=0ITIqh4fBsE Source: ICANN84 "
         "newsletter\nhttps://gac.icann.org/agendas/icann85-mumbai-agenda Source: GAC ICANN85 "
         "agenda",
         ""},
        {"icann-meetings", "icann86", "meeting",
         "ICANN86 Policy Forum (hosted by Spain's Ministry for Digital Transformation and Civil "
         "Service)",
         "2026-06-08", "2026-06-11", "day", false, "in-person", "Seville, Spain",
         "https://www.icann.org/resources/press-material/release-2026-05-28-en Source: ICANN press "
         "release, 28 May 2026",
         ""},
        {"icann-meetings", "icann-2027-spring", "meeting",
         "First ICANN meeting of 2027 (likely ICANN88, Community Forum)", "2027-01-01", "", "year",
         true, "in-person", "Lisbon, Portugal",
         "https://internetnews.me/2025/03/15/icann-announces-locations-for-two-future-meetings/amp "
         "Source: internetnews.me, 15 Mar 2025",
         "Only city and 'spring 2027' known; number and dates not confirmed."},
        {"icann-public-comment", "pc-2015-enhancements", "other",
         "Public comment enhancements launch: reply period suspended, 40-day minimum target, "
         "two-week summary target",
         "2015-01-26", "", "day", false, "none", "",
         "https://www.icann.org/news/announcement-2015-01-16-en Source: ICANN announcement, 16 Jan "
         "2015",
         "Before the 2023-2027 window; included because it defines the current model."},
        {"icann-public-comment", "pc-2020-iti", "other",
         "Information Transparency Initiative proposes improved Public Comment feature (search, "
         "filters, submission counts, guided form)",
         "2020-02-07", "", "day", false, "none", "",
         "https://icann.org/en/blogs/details/"
         "improving-the-public-comment-feature-an-information-transparency-initiative-update-7-2-"
         "2020-en Source: ICANN blog, 7 Feb 2020",
         "Before the 2023-2027 window; background on the current tool."},
        {"icann-public-comment", "pc-agb-2025", "consultation-opens",
         "Draft New gTLD Applicant Guidebook published for Public Comment", "2025-05-01", "",
         "month", true, "none", "", "https://icannwiki.org/ICANN_83 Source: ICANNWiki, ICANN 83",
         "Month only, secondary source."},
        {"cstd", "cstd27", "meeting",
         "CSTD 27th session (WSIS+20 discussion as requested by E/RES/2023/3)", "2024-01-01", "",
         "year", true, "none", "",
         "https://publicadministration.desa.un.org/wsis20/Documents/"
         "WSIS%20%2B20%20Reviews%20by%20the%20United%20Nations%20System Source: UN DESA WSIS+20 "
         "page",
         "Year only; exact dates not found."},
        {"cstd", "cstd28", "meeting",
         "CSTD 28th session; agrees report on 20 years of WSIS implementation", "2025-04-07",
         "2025-04-11", "day", false, "in-person", "Geneva",
         "https://eurodigwiki.org/wiki/"
         "Why_the_WSIS%2B20_Review_Matters_and_How_National_and_Regional_IGFs_Can_Enhance_"
         "Stakeholder_Participation_%E2%80%93_MT_01_2025 Source: EuroDIG "
         "wiki\nhttps://unctad.org/osgstatement/"
         "commission-science-and-technology-development-28th-session Source: UNCTAD opening "
         "statement",
         ""},
        {"cstd", "cstd30", "meeting",
         "CSTD 30th session to receive UNGIS task-force report on financing mechanisms",
         "2027-01-01", "", "year", true, "none", "",
         "https://www.itu.int/net4/wsis/ungis/Articles/View/1213 Source: ITU/UNGIS WSIS+20 page",
         "Year only."},
        {"wsis-forum", "wsis-hle-2024", "meeting", "WSIS+20 Forum High-Level Event 2024",
         "2024-05-27", "2024-05-31", "day", false, "in-person", "Geneva (CICG and ITU HQ)",
         "https://www.itu.int/net4/wsis/forum/2024/es/HighLevel Source: ITU WSIS Forum 2024 page",
         ""},
        {"wsis-forum", "wsis-hle-2025", "meeting",
         "WSIS+20 High-Level Event 2025 (parallel to AI for Good 2025)", "2025-07-07", "2025-07-11",
         "day", false, "in-person", "Geneva",
         "https://menafn.com/1109768196/"
         "WSIS20-High-Level-Event-2025-Kicks-Off-With-Wide-Participation Source: KUNA via MENAFN, "
         "7 Jul 2025",
         ""},
        {"wsis-forum", "wsis-forum-2026", "meeting", "WSIS Forum 2026", "2026-07-06", "2026-07-10",
         "day", true, "in-person", "Geneva",
         "https://globalcitieshub.org/en/wsis-ai-for-good-2026 Source: Global Cities Hub event "
         "page\nhttps://miceworldwide.com/events/wsis-forum-2026 Source: miceworldwide listing",
         "Secondary sources only."},
        {"itu-pp26", "pp26-host-chosen", "other", "PP-22 in Bucharest selects Doha to host PP-26",
         "2022-10-01", "", "month", false, "none", "",
         "https://www.stiripesurse.ro/itu-2022-qatar-will-host-itu-pp-26_2592220.html Source: "
         "Stiri pe surse / Agerpres, 6 Oct 2022",
         "Before the 2023-2027 window; context."},
        {"itu-pp26", "pp26-nominations-open", "other",
         "One-year countdown; nominations for ITU elected posts formally open", "2025-11-13", "",
         "day", false, "none", "",
         "https://www.itu.int:443/en/mediacentre/Pages/PR-2025-11-13-PP26-announcement.aspx "
         "Source: ITU press release, 13 Nov 2025",
         ""},
        {"itu-pp26", "pp26-cwg-cluster", "meeting",
         "Council Working Group and Expert Group cluster", "2026-01-13", "2026-01-23", "day", false,
         "in-person", "Geneva",
         "http://council.itu.int/2026/ds0b Source: ITU Council 2026 key dates", ""},
        {"itu-pp26", "pp26-council-contrib-deadline", "deadline",
         "Deadline for Member State contributions to Council-26", "2026-04-14", "", "day", false,
         "none", "", "http://council.itu.int/2026/ds0b Source: ITU Council 2026 key dates", ""},
        {"itu-pp26", "pp26-council", "meeting", "2026 session of the ITU Council", "2026-04-28",
         "2026-05-08", "day", false, "none", "",
         "http://council.itu.int/2026/ds0b Source: ITU Council 2026 key dates", ""},
        {"itu-pp26", "pp26-last-council-deadline", "deadline",
         "Deadline for Member State contributions to the last Council-26 meeting", "2026-10-31", "",
         "day", false, "none", "",
         "http://council.itu.int/2026/ds0b Source: ITU Council 2026 key dates", ""},
        {"itu-pp26", "pp26-last-council", "meeting", "Last meeting of the 2026 Council session",
         "2026-11-07", "", "day", false, "in-person", "Doha, Qatar",
         "https://pp.itu.int/2026/en/wp-json/wp/v2/pages/111 Source: ITU PP-26 'About' page", ""},
        {"itu-pp26", "pp26", "meeting", "ITU Plenipotentiary Conference 2026 (PP-26)", "2026-11-09",
         "2026-11-27", "day", false, "in-person", "Doha, Qatar",
         "https://pp.itu.int/2026/en/ Document\nhttps://pp.itu.int/2026/en/wp-json/wp/v2/pages/111 "
         "Source: ITU PP-26 'About' "
         "page\nhttps://www.itu.int:443/en/mediacentre/Pages/PR-2025-11-13-PP26-announcement.aspx "
         "Source: ITU press release, 13 Nov 2025",
         ""},
    };
    return milestones;
}

// A negotiated text for the comparison pages: illustrative demo text written for this demo (not
// quoted from any UN document). Rev.1 drops a paragraph (so the rest are renumbered), changes one,
// moves one up and adds one at the end.
constexpr std::string_view kDemoZeroDraft = R"(Illustrative draft outcome (demo text)

PP1 Recalling that this is demonstration text written for the Coalition demo, shaped like a negotiated draft,

PP2 Recognizing that an open, interoperable and secure internet serves people everywhere,

1. We reaffirm the value of cooperation among governments, the private sector, civil society, academia and the technical community.

2. We note with interest the many national and regional initiatives on digital cooperation.

3. We encourage the organisations that operate the internet's shared resources to keep their policy processes open to all.

4. We decide to hold a review of this framework every five years.

5. We invite all stakeholders to share good practices on meaningful connectivity.
)";

constexpr std::string_view kDemoRevision1 = R"(Illustrative draft outcome (demo text)

PP1 Recalling that this is demonstration text written for the Coalition demo, shaped like a negotiated draft,

PP2 Recognizing that an open, interoperable and secure internet serves people everywhere,

1. We reaffirm the value of cooperation among governments, the private sector, civil society, academia and the technical community.

2. We invite all stakeholders to share good practices on meaningful connectivity.

3. We encourage the organisations that operate the internet's shared resources to keep their policy processes open, transparent and accountable to all.

4. We decide to hold a review of this framework every ten years, with open consultations.

5. We commit to protecting human rights online as they are protected offline.
)";

void load_demo_documents(processes::Processes& service, const accounts::Actor& actor,
                         processes::ProcessId process_id) {
    auto fields =
        processes::validate(processes::DocumentDraft{.title = "Illustrative draft outcome (demo)",
                                                     .slug = "demo-outcome",
                                                     .kind = "draft",
                                                     .url = ""});
    if (!fields) {
        throw std::runtime_error("demo data: document: " + fields.errors().front().message);
    }
    auto document = service.ensure_document(actor, process_id, *fields);
    if (!document) {
        throw std::runtime_error("demo data: document: " + document.error().message);
    }
    const std::pair<std::string_view, std::string_view> revisions[] = {
        {"Zero draft", kDemoZeroDraft}, {"Rev.1", kDemoRevision1}};
    const char* dates[] = {"2025-08-01", "2025-09-15"};
    for (std::size_t idx = 0; idx < 2; ++idx) {
        auto revision = processes::validate(
            processes::RevisionDraft{.label = std::string(revisions[idx].first),
                                     .issued_on = dates[idx],
                                     .format = "text",
                                     .text = std::string(revisions[idx].second)});
        if (!revision) {
            throw std::runtime_error("demo data: revision: " + revision.errors().front().message);
        }
        if (auto saved = service.ensure_revision(actor, document->id, *revision); !saved) {
            throw std::runtime_error("demo data: revision: " + saved.error().message);
        }
    }
}

}  // namespace

DemoProcessesLoaded load_demo_processes(processes::Processes& service,
                                        const accounts::Actor& actor) {
    DemoProcessesLoaded loaded;
    std::map<std::string, processes::ProcessId> ids;
    for (const auto& demo : demo_processes()) {
        const auto fields =
            processes::validate(processes::ProcessDraft{.name = demo.name,
                                                        .short_name = demo.short_name,
                                                        .slug = demo.slug,
                                                        .kind = demo.kind,
                                                        .convenor = demo.convenor,
                                                        .description = demo.description,
                                                        .links = demo.links,
                                                        .status = demo.status});
        if (!fields) {
            throw std::runtime_error(std::string("demo data: process ") + demo.slug + ": " +
                                     fields.errors().front().field + ": " +
                                     fields.errors().front().message);
        }
        auto process = service.ensure(actor, *fields);
        if (!process) {
            throw std::runtime_error(std::string("demo data: process ") + demo.slug + ": " +
                                     process.error().message);
        }
        ids.emplace(demo.slug, process->id);
        ++loaded.processes;
    }
    for (const auto& demo : demo_milestones()) {
        processes::MilestoneDraft draft;
        draft.kind = demo.kind;
        draft.title = demo.title;
        draft.start_date = demo.start_date;
        draft.end_date = demo.end_date;
        draft.precision = demo.precision;
        draft.tentative = demo.tentative ? "1" : "";
        draft.location_kind = demo.location_kind;
        draft.location = demo.location;
        draft.links = demo.links;
        draft.notes = demo.notes;
        const auto fields = processes::validate(draft);
        if (!fields) {
            throw std::runtime_error(std::string("demo data: milestone ") + demo.uid + ": " +
                                     fields.errors().front().field + ": " +
                                     fields.errors().front().message);
        }
        auto saved = service.ensure_milestone(actor, ids.at(demo.process_slug), demo.uid, *fields);
        if (!saved) {
            throw std::runtime_error(std::string("demo data: milestone ") + demo.uid + ": " +
                                     saved.error().message);
        }
        ++loaded.milestones;
    }
    if (const auto wsis = ids.find("wsis20"); wsis != ids.end()) {
        load_demo_documents(service, actor, wsis->second);
    }
    return loaded;
}

}  // namespace coalition::app
