// freq.js: the 词频 view: terms in, a table of counts per group, a bar chart, CSV downloads.
(function () {
'use strict';

PS.CHART_GROUPS = 150;

PS.MEASURES = {
	occurrences: {name: '出现次数', fmt: function (v) { return PS.num(v); }},
	passages: {name: '句（段、节）数', fmt: function (v) { return PS.num(v); }},
	per_10k_chars: {name: '每万字次数', fmt: function (v) { return Number(v).toFixed(3); }}
};

// The terms in the box: one query a line, blank lines dropped, each once, in order.
function termsOf(text) {
	var seen = {};
	return String(text || '').split(/\r?\n/).map(function (t) { return t.trim(); })
		.filter(function (t) {
			if (!t || seen[t])
				return false;
			seen[t] = true;
			return true;
		});
}

// A group's label: its city, plan, or chapter or section with its id.
function groupLabel(g, by) {
	if (by === 'document')
		return g.document || g.city;
	if (by === 'chapter')
		return g.city + ' ' + (g.chapter === '(preamble)' ? '（正文前）' : g.chapter);
	if (by === 'section')
		return (g.id || '') + ' ' + (g.section === '(preamble)' ? '（正文前）' : (g.section || ''));
	return g.city;
}

// The API's parameters for these terms: one terms parameter per term.
function freqQuery(terms, by, city, extra) {
	var q = {terms: terms, by: by === 'city' ? '' : by, city: city};
	Object.keys(extra || {}).forEach(function (k) { q[k] = extra[k]; });
	return q;
}

function tableNode(data, measure) {
	var m = PS.MEASURES[measure];
	var head = PS.el('tr', null, PS.el('th', null, '分组'), data.terms.map(function (t) {
		return PS.el('th', {class: 'num'}, t.term);
	}));
	var rows = data.groups.map(function (g, gi) {
		return PS.el('tr', null, PS.el('th', {scope: 'row', title: g.id || g.city_id || ''}, groupLabel(g, data.by)),
			data.terms.map(function (t) {
				var cell = t.groups[gi];
				return PS.el('td', {class: 'num' + (cell.occurrences ? '' : ' zero'),
					title: '出现 ' + cell.occurrences + ' 次，' + cell.passages + ' 处，每万字 ' + Number(cell.per_10k_chars).toFixed(3)},
				m.fmt(cell[measure]));
			}));
	});
	var total = measure === 'per_10k_chars' ? null : PS.el('tr', {class: 'total'}, PS.el('th', {scope: 'row'}, '合计'),
		data.terms.map(function (t) { return PS.el('td', {class: 'num'}, m.fmt(t[measure])); }));
	return PS.el('table', {class: 'grid freq', id: 'freq-grid'},
		PS.el('caption', null, m.name + (data.by === 'city' ? '，按城市' : data.by === 'document' ? '，按文件' : data.by === 'chapter' ? '，按章' : '，按节')),
		PS.el('thead', null, head), PS.el('tbody', null, rows, total));
}

PS.renderFreq = function (p) {
	var text = p.get('terms') || '';
	var by = p.get('by') || 'city';
	var measure = PS.MEASURES[p.get('measure')] ? p.get('measure') : 'occurrences';
	var terms = termsOf(text);
	var city = p.get('city') || '';
	var status = document.getElementById('freq-status');
	document.getElementById('freq-terms').value = text;
	document.getElementById('freq-by').value = by;
	document.getElementById('freq-measure').value = measure;
	PS.fillCities(document.getElementById('freq-city'), city);
	document.title = '词频 - 政策文件检索';
	var chart = document.getElementById('freq-chart'), table = document.getElementById('freq-table');
	var downloads = document.getElementById('freq-downloads');
	if (!terms.length) {
		[chart, table, downloads].forEach(function (n) { PS.fill(n, []); });
		PS.showStatus(status, '每行输入一个词或检索式，统计它在各城市（文件、章、节）中出现的次数。');
		return Promise.resolve();
	}
	PS.showStatus(status, '正在统计…');
	status.setAttribute('data-state', 'loading');
	return PS.get('freq', '/api/freq', freqQuery(terms, by, city, {format: 'json'})).then(function (data) {
		var m = PS.MEASURES[measure];
		PS.showStatus(status, PS.num(data.terms.length) + ' 个词，' + PS.num(data.groups.length) + ' 组。');
		status.setAttribute('data-state', 'done');
		PS.fill(downloads, ['下载：',
			PS.el('a', {id: 'freq-csv', href: PS.apiUrl('/api/freq', freqQuery(terms, by, city, {format: 'csv'})), download: 'freq.csv'}, 'CSV'), ' · ',
			PS.el('a', {id: 'freq-excel', href: PS.apiUrl('/api/freq', freqQuery(terms, by, city, {format: 'csv', excel: 1})), download: 'freq-excel.csv',
				title: '带 BOM 的 UTF-8 CSV，Excel 直接打开不乱码'}, 'Excel 用 CSV'), ' · ',
			PS.el('a', {id: 'freq-tsv', href: PS.apiUrl('/api/freq', freqQuery(terms, by, city, {format: 'tsv'})), download: 'freq.tsv'}, 'TSV')]);
		// The chart draws the first groups only: thousands of sections are a table's job.
		var drawn = Math.min(data.groups.length, PS.CHART_GROUPS);
		PS.fill(chart, [PS.barChart(data.groups.slice(0, drawn).map(function (g) { return groupLabel(g, data.by); }),
			data.terms.map(function (t) {
				return {name: t.term, values: t.groups.slice(0, drawn).map(function (c) { return Number(c[measure]) || 0; })};
			}), m.fmt),
			drawn < data.groups.length ? PS.el('p', {class: 'muted'}, '图中只画前 ' + drawn + ' 组，全部见下表。') : null]);
		PS.fill(table, tableNode(data, measure));
	}).catch(function (err) {
		if (err === PS.stale)
			return;
		[chart, table, downloads].forEach(function (n) { PS.fill(n, []); });
		PS.showError(status, err);
		status.setAttribute('data-state', 'error');
	});
};

document.getElementById('freq-form').addEventListener('submit', function (ev) {
	ev.preventDefault();
	var by = document.getElementById('freq-by').value;
	var measure = document.getElementById('freq-measure').value;
	PS.go({view: 'freq', terms: termsOf(document.getElementById('freq-terms').value).join('\n'),
		by: by === 'city' ? '' : by, city: document.getElementById('freq-city').value,
		measure: measure === 'occurrences' ? '' : measure});
});
['freq-by', 'freq-city', 'freq-measure'].forEach(function (id) {
	document.getElementById(id).addEventListener('change', function () {
		if (termsOf(document.getElementById('freq-terms').value).length)
			document.getElementById('freq-form').requestSubmit();
	});
});
})();
