// Charts of the service desk statistics, drawn from the data the page embeds with json_script.
// The tables under each chart carry the same numbers for readers without JavaScript.
(function () {
  "use strict";

  function draw() {
    var source = document.getElementById("stats-chart-data");
    if (!source || typeof ApexCharts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var labels = data.labels;
    var base = { fontFamily: "inherit", toolbar: { show: false }, animations: { enabled: false } };
    var colours = ["#206bc4", "#2fb344", "#f76707"];
    // Numbers as the page's language writes them: Turkish "40" and "%75,0", not "40.0" / "75.0%".
    var lang = document.documentElement.lang || undefined;
    var countFormat = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
    var percentFormat = new Intl.NumberFormat(lang, {
      style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1
    });
    function count(value) { return value == null ? "" : countFormat.format(value); }
    function percent(value) { return value == null ? "" : percentFormat.format(value / 100); }

    function chart(element, options) {
      options.chart = Object.assign({}, base, options.chart);
      new ApexCharts(element, options).render();
    }

    document.querySelectorAll(".biys-chart").forEach(function (element) {
      var kind = element.getAttribute("data-chart");
      if (kind === "series") {
        var points = data.series.points;
        chart(element, {
          chart: { type: "line", height: 280 },
          series: [
            { name: labels.opened, type: "column", data: points.map(function (p) { return p.opened; }) },
            { name: labels.resolved, type: "column", data: points.map(function (p) { return p.resolved; }) },
            { name: labels.sla, type: "line", data: points.map(function (p) { return p.sla; }) }
          ],
          xaxis: { categories: points.map(function (p) { return p.label; }) },
          yaxis: [
            {
              seriesName: labels.opened, title: { text: labels.tickets }, min: 0, forceNiceScale: true,
              labels: { formatter: count }
            },
            { seriesName: labels.opened, show: false, labels: { formatter: count } },
            {
              seriesName: labels.sla, opposite: true, min: 0, max: 100, title: { text: labels.sla },
              labels: { formatter: percent }
            }
          ],
          tooltip: { y: { formatter: function (value, context) {
            return context && context.seriesIndex === 2 ? percent(value) : count(value);
          } } },
          stroke: { width: [0, 0, 3] },
          colors: colours,
          dataLabels: { enabled: false },
          legend: { position: "top" }
        });
      } else if (kind === "sla") {
        chart(element, {
          chart: { type: "radialBar", height: 240 },
          series: [data.sla.response || 0, data.sla.resolution || 0],
          labels: [labels.response, labels.resolution],
          colors: colours,
          plotOptions: { radialBar: { dataLabels: {
            total: { show: false }, value: { formatter: percent }
          } } },
          legend: { show: true, position: "bottom" }
        });
      } else if (kind === "ratings") {
        chart(element, {
          chart: { type: "bar", height: 200 },
          series: [{ name: labels.tickets, data: data.ratings }],
          xaxis: { categories: ["1", "2", "3", "4", "5"] },
          yaxis: { labels: { formatter: count } },
          tooltip: { y: { formatter: count } },
          colors: ["#f59f00"],
          dataLabels: { enabled: false }
        });
      } else if (kind === "breakdown") {
        var rows = data.breakdowns[element.getAttribute("data-key")] || [];
        chart(element, {
          chart: { type: "bar", height: Math.max(160, 28 * rows.length + 60) },
          plotOptions: { bar: { horizontal: true } },
          series: [
            { name: labels.opened, data: rows.map(function (r) { return r[1]; }) },
            { name: labels.resolved, data: rows.map(function (r) { return r[2]; }) }
          ],
          xaxis: {
            categories: rows.map(function (r) { return r[0]; }),
            labels: { formatter: function (value) { var n = Number(value); return isNaN(n) ? value : count(n); } }
          },
          tooltip: { y: { formatter: count } },
          colors: colours,
          dataLabels: { enabled: false },
          legend: { position: "top" }
        });
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
