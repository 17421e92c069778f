// chart.js: a grouped horizontal bar chart drawn as inline SVG, for the 词频 view.
(function () {
'use strict';

var SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attrs, text) {
	var n = document.createElementNS(SVG, tag);
	Object.keys(attrs || {}).forEach(function (k) { n.setAttribute(k, String(attrs[k])); });
	if (text !== undefined)
		n.appendChild(document.createTextNode(String(text))); // data is text, never markup
	return n;
}

PS.COLOURS = ['#2f6db5', '#d9822b', '#3a9a5b', '#b8423a', '#7c5cb5', '#8a6d3b', '#c0579a', '#5b7f95'];

// An SVG bar chart: one row of bars per group (labels on the left), one bar per series in
// each row, in the series' colour, its value at its end, and a legend of the series on top.
// groups: [label], series: [{name, values: [number per group]}], fmt: value -> string.
PS.barChart = function (groups, series, fmt) {
	var barH = 14, gap = 10, labelW = 220, plotW = 520, valueW = 70, legendH = 24;
	var rowH = series.length * barH + gap;
	var height = legendH + groups.length * rowH + 6;
	var max = 0;
	series.forEach(function (s) { s.values.forEach(function (v) { max = Math.max(max, v); }); });
	var root = svg('svg', {xmlns: SVG, width: labelW + plotW + valueW, height: height,
		viewBox: '0 0 ' + (labelW + plotW + valueW) + ' ' + height, role: 'img', class: 'bars'});
	root.appendChild(svg('title', {}, '条形图'));
	var x = labelW;
	series.forEach(function (s, i) {
		var c = PS.COLOURS[i % PS.COLOURS.length];
		root.appendChild(svg('rect', {x: x, y: 6, width: 12, height: 12, fill: c}));
		var t = svg('text', {x: x + 16, y: 16, class: 'legend'}, s.name);
		root.appendChild(t);
		x += 28 + Math.min(200, 13 * Array.from(s.name).length);
	});
	groups.forEach(function (g, gi) {
		var y0 = legendH + gi * rowH;
		var label = Array.from(g);
		root.appendChild(svg('text', {x: labelW - 8, y: y0 + (series.length * barH) / 2 + 5,
			'text-anchor': 'end', class: 'group'}, label.length > 16 ? label.slice(0, 15).join('') + '…' : g))
			.appendChild(svg('title', {}, g));
		series.forEach(function (s, si) {
			var v = s.values[gi] || 0;
			var w = max > 0 ? Math.max(v > 0 ? 1 : 0, Math.round(v / max * plotW)) : 0;
			var y = y0 + si * barH;
			var bar = svg('rect', {x: labelW, y: y + 1, width: w, height: barH - 2,
				fill: PS.COLOURS[si % PS.COLOURS.length], class: 'bar'});
			bar.appendChild(svg('title', {}, s.name + ' · ' + g + '：' + fmt(v)));
			root.appendChild(bar);
			root.appendChild(svg('text', {x: labelW + w + 4, y: y + barH - 3, class: 'value'}, fmt(v)));
		});
	});
	root.appendChild(svg('line', {x1: labelW, y1: legendH - 2, x2: labelW, y2: height - 4, class: 'axis'}));
	return root;
};
})();
