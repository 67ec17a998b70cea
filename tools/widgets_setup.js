/*
 * Loaded on pages with widgets, between require.js and the widgets' embed-amd.js
 * (see nb_ipywidgets_js in _config.yml); copied to the site by
 * tools/vendor_assets.py.
 *
 * 1. The widget manager locates its icon fonts relative to where RequireJS
 *    thinks its module lives (by default a folder named after the npm package,
 *    next to the page). Point that module name at the vendored copy beside
 *    this script, so the fonts load from the site itself.
 * 2. The widget manager typesets maths in labels through the MathJax 2 call
 *    MathJax.Hub.Queue; the book loads MathJax 3, which has no Hub. Once the
 *    page has loaded (MathJax 3 is then in place, widgets not yet drawn), give
 *    it a Hub whose Queue typesets the element with MathJax 3.
 */
(function () {
  "use strict";
  var here = document.currentScript.src.replace(/[?#].*$/, "");
  var assets = here.slice(0, here.lastIndexOf("/") + 1);
  window.require.config({
    paths: { "@jupyter-widgets/html-manager/dist": assets + "html-manager" },
  });

  function typeset(job) {
    var mathjax = window.MathJax;
    var element = job && job[2];
    if (!element || !mathjax || !mathjax.typesetPromise || !mathjax.startup) {
      return;
    }
    mathjax.startup.promise
      .then(function () {
        return mathjax.typesetPromise([element]);
      })
      .catch(function (err) {
        console.error("MathJax could not typeset a widget label:", err);
      });
  }

  window.addEventListener("load", function () {
    if (window.MathJax && !window.MathJax.Hub) {
      window.MathJax.Hub = { Queue: typeset };
    }
  });
})();
