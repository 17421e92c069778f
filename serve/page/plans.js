// plans.js: the 文件 view: the indexed plans from /api/plans, each a link to its document view.
(function () {
'use strict';

// The list of plan records in an /api/plans answer ({plans: [...]} or the list itself).
PS.planList = function (data) {
	return Array.isArray(data) ? data : (data.plans || []);
};

// A plan's title as search results show it (the server's document; in 〔 〕 when the
// manifest supplied it).
PS.planTitle = function (rec) {
	if (rec.document)
		return rec.document;
	var t = rec.title || rec.city_id;
	return rec.title_supplied ? '〔' + t + '〕' : t;
};

PS.renderPlans = function () {
	var status = document.getElementById('plans-status');
	var table = document.getElementById('plans-table');
	PS.showStatus(status, '正在读取…');
	document.title = '文件 - 政策文件检索';
	return PS.get('plans', '/api/plans').then(function (data) {
		var plans = PS.planList(data);
		PS.showStatus(status, '共 ' + PS.num(plans.length) + ' 份文件。');
		PS.fill(table, [
			PS.el('thead', null, PS.el('tr', null, ['城市', '省份', '文件', '日期', '编号'].map(function (h) {
				return PS.el('th', null, h);
			}))),
			PS.el('tbody', null, plans.map(function (r) {
				return PS.el('tr', {'data-plan': r.city_id},
					PS.el('td', null, r.city), PS.el('td', null, r.province),
					PS.el('td', null, PS.el('a', {href: PS.link({view: 'doc', plan: r.city_id})}, PS.planTitle(r))),
					PS.el('td', null, r.date || '—'), PS.el('td', null, PS.el('code', null, r.city_id)));
			}))]);
	}).catch(function (err) { PS.showError(status, err); });
};

// Fills the city selectors (freq and KWIC) from /api/plans once, each city once, in index
// order, then selects `value` in `select`. Resolves when done; a failed call leaves 全部 only.
var citiesLoaded = null;
PS.fillCities = function (select, value) {
	if (!citiesLoaded) {
		citiesLoaded = PS.get('cities', '/api/plans').then(function (data) {
			var seen = {};
			var cities = PS.planList(data).map(function (r) { return r.city; })
				.filter(function (c) { return c && !seen[c] && (seen[c] = true); });
			document.querySelectorAll('select.city-select').forEach(function (sel) {
				PS.append(sel, cities.map(function (c) { return PS.el('option', {value: c}, c); }));
			});
		}).catch(function () { citiesLoaded = null; });
	}
	return citiesLoaded.then(function () {
		if (value && !Array.prototype.some.call(select.options, function (o) { return o.value === value; }))
			select.appendChild(PS.el('option', {value: value}, value));
		select.value = value || '';
	});
};
})();
