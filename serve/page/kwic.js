// kwic.js: the KWIC view: every occurrence of a query with its context, the keyword in one column.
(function () {
'use strict';

PS.KWIC_ROWS = 2000; // occurrences shown; the downloads hold every one

PS.renderKwic = function (p) {
	var q = p.get('q') || '';
	var width = parseInt(p.get('width') || '', 10) || 20;
	var city = p.get('city') || '';
	var status = document.getElementById('kwic-status');
	var table = document.getElementById('kwic-table');
	document.getElementById('kwic-q').value = q;
	document.getElementById('kwic-width').value = width;
	PS.fillCities(document.getElementById('kwic-city'), city);
	document.title = (q ? q + ' - ' : '') + '语境 - 政策文件检索';
	if (!q.trim()) {
		PS.fill(table, []);
		PS.showStatus(status, '输入词或检索式，列出它每一次出现及前后文字，关键词对齐成一列。');
		return Promise.resolve();
	}
	PS.showStatus(status, '正在查找…');
	status.setAttribute('data-state', 'loading');
	return PS.get('kwic', '/api/kwic', {q: q, width: width === 20 ? '' : width, city: city, format: 'json'}).then(function (data) {
		var counts = {};
		data.occurrences.forEach(function (o) { counts[o.city] = (counts[o.city] || 0) + 1; });
		var shown = data.occurrences.slice(0, PS.KWIC_ROWS);
		var params = {q: q, width: width === 20 ? '' : width, city: city};
		function download(format, label, excel) {
			var ps = {format: format, excel: excel ? 1 : ''};
			Object.keys(params).forEach(function (k) { ps[k] = params[k]; });
			return PS.el('a', {href: PS.apiUrl('/api/kwic', ps), download: 'kwic.' + format}, label);
		}
		PS.showStatus(status, ['共 ', PS.el('strong', {id: 'kwic-total'}, PS.num(data.total)), ' 处：',
			Object.keys(counts).map(function (c) { return c + ' ' + counts[c]; }).join(' · '),
			shown.length < data.occurrences.length ? '；下面列出前 ' + PS.num(shown.length) + ' 处，全部见下载' : '',
			PS.el('span', {class: 'downloads'}, '　下载：', download('csv', 'CSV'), ' · ',
				download('csv', 'Excel 用 CSV', true), ' · ', download('tsv', 'TSV'))]);
		status.setAttribute('data-state', 'done');
		// Line breaks in the context are shown as spaces, so each occurrence is one line.
		function flat(s) { return String(s).replace(/\s*[\r\n]+\s*/g, ' '); }
		// The keyword column is as wide as the longest match, so the left context ends
		// where every keyword starts and the right context follows closely.
		var longest = shown.reduce(function (m, o) { return Math.max(m, Array.from(o.match).length); }, 2);
		PS.fill(table, [
			PS.el('colgroup', null, PS.el('col', {class: 'k-id'}), PS.el('col', {class: 'k-left'}),
				PS.el('col', {class: 'k-match', style: 'width:' + (longest * 1.1 + 0.8).toFixed(1) + 'em'}),
				PS.el('col', {class: 'k-right'})),
			PS.el('thead', null, PS.el('tr', null, PS.el('th', null, '出处'), PS.el('th', {class: 'k-left'}, '前文'),
				PS.el('th', {class: 'k-match'}, '关键词'), PS.el('th', null, '后文'))),
			PS.el('tbody', null, shown.map(function (o) {
				return PS.el('tr', {'data-id': o.id},
					PS.el('td', {class: 'k-id'}, PS.el('a', {href: PS.docLink(o.id, {q: q}), title: o.section || ''}, o.id),
						PS.el('span', {class: 'muted'}, ' ' + o.city)),
					PS.el('td', {class: 'k-left'}, PS.el('div', {class: 'clip-left'}, PS.el('span', null, flat(o.left)))),
					PS.el('td', {class: 'k-match'}, PS.el('mark', null, o.match)),
					PS.el('td', {class: 'k-right'}, PS.el('div', {class: 'clip-right'}, flat(o.right))));
			}))]);
	}).catch(function (err) {
		if (err === PS.stale)
			return;
		PS.fill(table, []);
		PS.showError(status, err);
		status.setAttribute('data-state', 'error');
	});
};

document.getElementById('kwic-form').addEventListener('submit', function (ev) {
	ev.preventDefault();
	var width = parseInt(document.getElementById('kwic-width').value, 10) || 20;
	PS.go({view: 'kwic', q: document.getElementById('kwic-q').value.trim(), width: width === 20 ? '' : width,
		city: document.getElementById('kwic-city').value});
});
})();
