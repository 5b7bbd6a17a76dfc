// Draws each chart of the glance page from the JSON block beside its
// canvas. Plain script, no build: the page's figures are already in its
// tables, so without this file nothing is lost but the pictures.
'use strict';

(function drawCharts() {
  // Colour-blind-safe, each dark enough to read against white.
  var palette = ['#0b4f6c', '#d1495b', '#edae49', '#00798c', '#66a182', '#8d6a9f', '#30638e', '#a05c34'];
  var lang = document.documentElement.lang === 'en' ? 'en-GB' : 'id-ID';

  document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
    var source = document.getElementById(canvas.getAttribute('data-chart'));
    if (source === null) return;
    var spec = JSON.parse(source.textContent);
    var doughnut = spec.type === 'doughnut';
    var datasets = spec.datasets.map(function (dataset, index) {
      return {
        label: dataset.label,
        data: dataset.data,
        backgroundColor: doughnut ? palette.slice(0, dataset.data.length) : palette[index % palette.length],
        borderColor: '#ffffff',
        borderWidth: doughnut ? 2 : 0,
      };
    });
    var valueAxis = spec.horizontal ? 'x' : 'y';
    var scales = {};
    if (!doughnut) {
      scales[valueAxis] = {
        beginAtZero: true,
        ticks: {
          // Members and claims are whole: no tick at half a person.
          precision: spec.percent ? 1 : 0,
          callback: function (value) {
            return new Intl.NumberFormat(lang, { notation: 'compact' }).format(value) + (spec.percent ? '%' : '');
          },
        },
      };
    }
    new Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        indexAxis: spec.horizontal ? 'y' : 'x',
        maintainAspectRatio: false,
        animation: false,
        locale: lang,
        scales: scales,
        plugins: { legend: { display: doughnut || datasets.length > 1, position: 'bottom' } },
      },
    });
  });
})();
