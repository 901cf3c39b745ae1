// Wide tables scroll sideways inside Material's wrapper; a region that scrolls must be
// reachable by keyboard (WCAG 2.1.1), so give each one focus and a name.
window.addEventListener("load", function () {
  document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
    if (wrap.scrollWidth > wrap.clientWidth) {
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", "Table, scrolls sideways");
    }
  });
});

// Material's search dialog has no accessible name (axe: aria-dialog-name). Under MkDocs the
// cxsite plugin names it in the page itself; a site built from `cxsite render`'s folder (ProperDocs)
// runs no cxsite code while it is built, so the page names it here, as soon as it is parsed.
document.querySelectorAll('.md-search[role="dialog"]:not([aria-label])').forEach(function (dialog) {
  dialog.setAttribute("aria-label", "Search");
});
