// Render every Vega-Lite chart on the page: <div data-chart="ID"> with its spec in <script id="ID" type="application/json">.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var spec = JSON.parse(document.getElementById(el.dataset.chart).textContent);
    vegaEmbed(el, spec, { actions: false, renderer: "svg" }).catch(function () {
      el.textContent = el.dataset.fallback || "";
    });
  });
});
