// Render every Vega-Lite chart on the page: <div data-chart="ID"> with its spec in <script id="ID" type="application/json">.
// Numbers in Dutch format (1.234.567,5; € 5.000); on a narrow screen (a phone, 375 px) the chart adapts: fewer
// ticks, labels turned upright and shortened, the legend below the chart and the title wrapped. The table beside
// each chart stays the source of truth.
(function () {
  var NARROW = 560; // px: below this width a chart gets the narrow layout
  var DUTCH = { decimal: ",", thousands: ".", grouping: [3], currency: ["€ ", ""] };
  var DUTCH_TIME = {
    dateTime: "%a %e %B %Y %X", date: "%d-%m-%Y", time: "%H:%M:%S", periods: ["", ""],
    days: ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"],
    shortDays: ["zo", "ma", "di", "wo", "do", "vr", "za"],
    months: ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
      "november", "december"],
    shortMonths: ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
  };

  function wrap(text, width) {
    if (typeof text !== "string" || text.length <= width) return text;
    var lines = [], line = "";
    text.split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > width) { lines.push(line); line = word; }
      else { line = line ? line + " " + word : word; }
    });
    if (line) lines.push(line);
    return lines;
  }

  function narrow(spec, width) {
    var s = JSON.parse(JSON.stringify(spec));
    var enc = s.encoding || {};
    if (enc.x && enc.x.axis) delete enc.x.axis.labelAngle;
    if (enc.x && enc.x.title) enc.x.title = null; // the labels say what the x axis is; room for the bars
    s.title = { text: wrap(typeof s.title === "string" ? s.title : (s.title && s.title.text) || "", 36) };
    s.config = Object.assign({}, s.config, {
      axis: { labelFontSize: 10, titleFontSize: 11, labelOverlap: "greedy", labelPadding: 3 },
      axisX: { labelAngle: -90, labelAlign: "right", labelBaseline: "middle", labelLimit: 110 },
      axisY: { tickCount: 4, labelLimit: 80, titlePadding: 6 },
      legend: { orient: "bottom", direction: "vertical", labelLimit: Math.max(120, width - 60), labelFontSize: 11 },
      title: { fontSize: 13, anchor: "start" }
    });
    return s;
  }

  function render(el) {
    var spec = JSON.parse(document.getElementById(el.dataset.chart).textContent);
    var width = el.clientWidth || window.innerWidth;
    var isNarrow = width < NARROW;
    el.dataset.layout = isNarrow ? "narrow" : "wide";
    return vegaEmbed(el, isNarrow ? narrow(spec, width) : spec, {
      actions: false,
      renderer: "svg",
      formatLocale: DUTCH,
      timeFormatLocale: DUTCH_TIME
    }).then(function () {
      el.dataset.rendered = "true";
    }).catch(function () {
      el.textContent = el.dataset.fallback || "";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var charts = Array.prototype.slice.call(document.querySelectorAll("[data-chart]"));
    charts.forEach(render);
    var pending;
    window.addEventListener("resize", function () {
      clearTimeout(pending);
      pending = setTimeout(function () {
        charts.forEach(function (el) {
          var isNarrow = (el.clientWidth || window.innerWidth) < NARROW;
          if ((el.dataset.layout === "narrow") !== isNarrow) render(el);
        });
      }, 200);
    });
  });
})();
