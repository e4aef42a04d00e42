/*
 * Names and keyboard access for what Material's scripts draw without them (ADR 67).
 *
 * - A code annotation's marker is a link (or, without an id, a span) whose number is CSS
 *   content, which assistive technology does not read: it is named "Annotation N".
 * - A region that scrolls sideways, a table wider than the page in Material's scroll
 *   wrapper or a listing's code, must be reachable with the keyboard to be scrolled: while
 *   it overflows it is focusable, with the role and name of a region. Material makes code
 *   focusable itself only where the device can hover; a keyboard needs it everywhere.
 *
 * Material draws annotations and table wrappers after each page load and each instant
 * navigation, so this script watches the document for them rather than running once, and
 * checks the regions again when the window changes size.
 *
 * List it in `extra_javascript`; it needs nothing else. The browser test's accessibility
 * audit (tests/browser/test_accessibility.py) fails when either fix stops working.
 */
(function () {
  "use strict";

  var SCROLLERS = ".md-typeset__scrollwrap, .md-typeset pre > code";

  function nameMarkers(root) {
    var markers = root.querySelectorAll(".md-annotation__index:not([aria-label])");
    for (var i = 0; i < markers.length; i++) {
      var number = markers[i].querySelector("[data-md-annotation-id]");
      if (number) {
        markers[i].setAttribute(
          "aria-label", "Annotation " + number.getAttribute("data-md-annotation-id"));
      }
    }
  }

  function reachScrollers(root) {
    var regions = root.querySelectorAll(SCROLLERS);
    for (var i = 0; i < regions.length; i++) {
      var region = regions[i];
      if (region.scrollWidth > region.clientWidth) {
        if (region.getAttribute("tabindex") !== "0") {
          region.setAttribute("tabindex", "0");
        }
        if (!region.hasAttribute("role")) {
          region.setAttribute("role", "region");
          region.setAttribute("aria-label", region.matches("code") ? "Code" : "Table");
          region.setAttribute("data-handbook-region", "");
        }
      } else if (region.hasAttribute("data-handbook-region")) {
        region.removeAttribute("tabindex");
        region.removeAttribute("role");
        region.removeAttribute("aria-label");
        region.removeAttribute("data-handbook-region");
      }
    }
  }

  var pending = false;
  function update() {
    if (pending) {
      return;
    }
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      nameMarkers(document);
      reachScrollers(document);
    });
  }

  // tabindex too: Material takes it off code again where the device cannot hover.
  new MutationObserver(update).observe(document.body, {
    childList: true, subtree: true, attributes: true, attributeFilter: ["tabindex"],
  });
  window.addEventListener("resize", update);
  update();
})();
