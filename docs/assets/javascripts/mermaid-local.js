/*
 * Mermaid from the site itself, loaded only on pages that have a diagram.
 *
 * Why this file exists (ADR 0004, adr/0004-diagrams-with-material-native-mermaid.md):
 * Material for MkDocs renders ```mermaid fences itself (pymdownx.superfences custom fence
 * `mermaid` with `fence_code_format`, giving <pre class="mermaid"><code>...</code></pre>).
 * When a page holding such a block is shown, Material looks at the global `mermaid`:
 *
 *   typeof mermaid === "undefined" || mermaid instanceof Element
 *     -> injects <script src="https://unpkg.com/mermaid@11/dist/mermaid.min.js">  (a CDN!)
 *   otherwise
 *     -> calls mermaid.initialize({startOnLoad: false, themeCSS, sequence}) once per full
 *        page load, then `await mermaid.render(id, text)` for every diagram, including the
 *        diagrams of pages reached later by instant navigation.
 *
 * Listing the 3.6 MB vendored mermaid.min.js in `extra_javascript` would satisfy that check
 * too, but would download and evaluate it on the first load of every page, diagram or not
 * (about +0.5 s to DOMContentLoaded in the experiment). This script instead defines a small
 * stand-in `window.mermaid` with exactly the two methods Material calls: `initialize` records
 * the configuration, and the first `render` loads the vendored script from this site, applies
 * the recorded configuration, and hands over. Once loaded, the real library replaces the
 * global (mermaid.min.js assigns globalThis.mermaid), so later calls go straight to it.
 *
 * Requirements:
 *   - list this file in `extra_javascript` (a plain, non-module, non-async script), so it has
 *     run before DOMContentLoaded, when Material mounts its components;
 *   - keep the vendored library at ../vendor/mermaid/mermaid.min.js relative to this file.
 * If Material ever calls another Mermaid method, the stand-in throws a TypeError and the
 * browser tests (tests/browser: diagram renders, no console errors) fail: then extend STUB
 * or list mermaid.min.js in `extra_javascript` directly instead of this file.
 */
(function () {
  "use strict";

  // A real Mermaid is already there (e.g. listed in extra_javascript by hand): nothing to do.
  if (window.mermaid && typeof window.mermaid.render === "function") {
    return;
  }

  var script = document.currentScript;
  var src = new URL("../vendor/mermaid/mermaid.min.js", script ? script.src : location.href)
    .href;
  var pendingConfig = null;
  var loading = null;

  /** Load the vendored Mermaid once; resolve with the real library. */
  function load() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var el = document.createElement("script");
        el.src = src;
        el.onload = function () {
          var real = window.mermaid;
          if (!real || real === STUB || typeof real.render !== "function") {
            reject(new Error("mermaid-local: " + src + " did not define window.mermaid"));
            return;
          }
          if (pendingConfig) {
            real.initialize(pendingConfig);
          }
          resolve(real);
        };
        el.onerror = function () {
          reject(new Error("mermaid-local: cannot load " + src));
        };
        document.head.appendChild(el);
      });
    }
    return loading;
  }

  var STUB = {
    /** Record Material's configuration; it is applied once the library is loaded. */
    initialize: function (config) {
      pendingConfig = config;
    },
    /** Load the library on first use, then render with it. */
    render: function () {
      var args = arguments;
      return load().then(function (real) {
        return real.render.apply(real, args);
      });
    }
  };

  window.mermaid = STUB;
})();
