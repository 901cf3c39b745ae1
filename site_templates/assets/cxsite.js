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
