// The analytics page's charts: each <canvas data-chart="{…}"> holds its data as JSON (kind,
// labels, datasets, stacked, horizontal), written by the server; the tables beside the charts
// hold the same numbers for readers without JavaScript or sight. Chart.js styles the canvas
// through the CSSOM only, which the Content-Security-Policy (style-src 'self') allows.
(function () {
	'use strict';

	// Tell outcomes apart by more than colour: each dataset also gets its own point style and
	// dash, and the legend names it.
	var COLOURS = ['#2f7d4f', '#b7791f', '#c53030', '#4b3fd1', '#2b6cb0', '#805ad5', '#dd6b20', '#319795'];
	var POINTS = ['circle', 'rectRot', 'triangle', 'rect', 'star', 'crossRot', 'rectRounded', 'cross'];
	var DASHES = [[], [6, 3], [2, 3], [8, 3, 2, 3]];

	function draw(canvas) {
		if (typeof window.Chart !== 'function') {
			return;
		}
		var spec;
		try {
			spec = JSON.parse(canvas.getAttribute('data-chart'));
		}
		catch (e) {
			return;
		}
		var styles = window.getComputedStyle(document.documentElement);
		var text = styles.getPropertyValue('--fg').trim() || '#1b1d22';
		var grid = styles.getPropertyValue('--border').trim() || '#d5d8e0';
		var line = spec.kind === 'line';
		var datasets = spec.datasets.map(function (dataset, i) {
			var colour = COLOURS[i % COLOURS.length];
			return {
				label: dataset.label,
				data: dataset.data,
				backgroundColor: colour,
				borderColor: colour,
				borderWidth: line ? 2 : 0,
				borderDash: line ? DASHES[i % DASHES.length] : [],
				pointStyle: POINTS[i % POINTS.length],
				pointRadius: line ? 3 : 0,
				tension: 0
			};
		});
		var valueAxis = { stacked: spec.stacked, beginAtZero: true, ticks: { color: text, precision: 0 }, grid: { color: grid } };
		var labelAxis = { stacked: spec.stacked, ticks: { color: text, autoSkip: true, maxRotation: 60 }, grid: { color: grid } };
		new window.Chart(canvas, {
			type: spec.kind,
			data: { labels: spec.labels, datasets: datasets },
			options: {
				indexAxis: spec.horizontal ? 'y' : 'x',
				maintainAspectRatio: false,
				animation: window.matchMedia('(prefers-reduced-motion: reduce)').matches ? false : undefined,
				interaction: { mode: 'index', intersect: false },
				scales: spec.horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
				plugins: {
					legend: { labels: { color: text, usePointStyle: true } }
				}
			}
		});
	}

	function drawAll() {
		document.querySelectorAll('canvas[data-chart]').forEach(draw);
	}

	if (document.readyState === 'loading') {
		document.addEventListener('DOMContentLoaded', drawAll);
	}
	else {
		drawAll();
	}
})();
