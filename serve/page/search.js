// search.js: the search view: the form, the hits with their matches marked, facets and paging.
(function () {
'use strict';

PS.PAGE_SIZE = 20;
PS.UNIT_NAMES = {clause: '句', heading: '句', paragraph: '段', section: '节'};

// A heading as the plan prints it: number and title, with a space after a number that ends
// in a letter or digit (第二章 “十四五”…, 三、主要任务, （二）规划目标).
PS.heading = function (s) {
	var n = s.number || '', t = s.title || '';
	if (n && t && /[\p{L}\p{N}]$/u.test(n))
		return n + ' ' + t;
	return n + t;
};

// The city a facet key names: the city, or for a city with several plans the key
// 大连市《…》, its part before the title.
function facetCity(key) {
	var i = key.indexOf('《');
	return i > 0 ? key.slice(0, i) : key;
}

// The search parameters of the address: {q, scope, any, city: [], section, level, offset}.
PS.searchParams = function (p) {
	return {
		q: p.get('q') || '',
		scope: p.get('scope') || '',
		any: p.get('any') === '1',
		city: p.getAll('city'),
		section: p.get('section') || '',
		level: p.get('level') || '',
		offset: Math.max(0, parseInt(p.get('offset') || '0', 10) || 0)
	};
};

function withParams(sp, changes) {
	var out = {q: sp.q, scope: sp.scope === 'clause' ? '' : sp.scope, any: sp.any, city: sp.city.slice(),
		section: sp.section, level: sp.level, offset: sp.offset || ''};
	Object.keys(changes).forEach(function (k) { out[k] = changes[k]; });
	return out;
}

// A hit's text with its matches marked; a long one (a paragraph or a section) is shown
// folded, with a button that unfolds it.
PS.LONG_PASSAGE = 400; // characters
function passageNode(hit) {
	var p = PS.el('p', {class: 'passage'}, PS.marked(hit.text, hit.matches));
	if (Array.from(hit.text).length <= PS.LONG_PASSAGE)
		return p;
	p.classList.add('folded');
	var more = PS.el('button', {type: 'button', class: 'unfold', onclick: function () {
		var folded = p.classList.toggle('folded');
		PS.fill(more, folded ? '展开全文' : '收起');
	}}, '展开全文');
	return [p, more];
}

function hitNode(hit, rank, q) {
	var plan = hit.city_id || PS.planOf(hit.id);
	var crumbs = (hit.section || []).map(function (s, i) {
		return [i ? PS.el('span', {class: 'sep', 'aria-hidden': 'true'}, ' › ') : null,
			PS.el('a', {href: PS.docLink(plan + '/' + s.path, {q: q})}, PS.heading(s))];
	});
	return PS.el('li', {class: 'hit', 'data-id': hit.id},
		PS.el('div', {class: 'hit-head'},
			PS.el('span', {class: 'rank'}, '[' + rank + ']'), ' ',
			PS.el('span', {class: 'city'}, hit.city), ' · ',
			PS.el('a', {class: 'document', href: PS.link({view: 'doc', plan: plan})}, hit.document)),
		crumbs.length ? PS.el('nav', {class: 'crumbs', 'aria-label': '章节'}, crumbs)
			: PS.el('nav', {class: 'crumbs'}, '（文件开头）'),
		passageNode(hit),
		PS.el('div', {class: 'meta'},
			PS.el('code', {class: 'pid'}, hit.id), ' · ',
			PS.el('span', null, hit.file + ' 第' + hit.line + '行'), ' · ',
			PS.el('a', {class: 'in-doc', href: PS.docLink(hit.id, {q: q})}, '在文中查看')),
		PS.citeTools(hit.id));
}

// A facet list that shows its first `n` items and a button for the rest: an index of
// thousands of plans can have a hit in hundreds of them.
PS.FACET_ITEMS = 15;
function folded(list, n) {
	var items = list.children;
	if (items.length <= n)
		return list;
	for (var i = n; i < items.length; i++)
		items[i].hidden = true;
	var more = PS.el('button', {type: 'button', class: 'unfold', onclick: function () {
		for (var j = n; j < items.length; j++)
			items[j].hidden = false;
		more.remove();
	}}, '全部 ' + PS.num(items.length) + ' 项');
	return [list, more];
}

function facetsNode(data, sp) {
	var f = data.facets || {};
	var cities = Object.keys(f.city || {});
	if (!cities.length)
		return [];
	var cityList = PS.el('ul', {class: 'facet-list', id: 'facet-city'}, cities.map(function (c) {
		var name = facetCity(c);
		var active = sp.city.indexOf(name) >= 0;
		return PS.el('li', null, PS.el('a', {href: PS.link(withParams(sp, {city: active ? [] : [name], section: '', offset: ''})),
			class: active ? 'active' : null, 'data-city': name},
			PS.el('span', {class: 'name'}, c), PS.el('span', {class: 'count'}, PS.num(f.city[c]))));
	}));
	var chapters = Object.keys(f.chapter || {}).map(function (c) {
		var name = facetCity(c);
		return PS.el('li', null, PS.el('div', {class: 'facet-group'}, c),
			PS.el('ul', {class: 'facet-list'}, Object.keys(f.chapter[c]).map(function (ch) {
				var count = PS.el('span', {class: 'count'}, PS.num(f.chapter[c][ch]));
				if (ch === '(preamble)')
					return PS.el('li', null, PS.el('span', {class: 'plain'}, PS.el('span', {class: 'name'}, '（正文前）'), count));
				var active = sp.section === ch && sp.city.length === 1 && sp.city[0] === name;
				return PS.el('li', null, PS.el('a', {class: active ? 'active' : null,
					href: PS.link(withParams(sp, active ? {section: '', offset: ''} : {city: [name], section: ch, offset: ''}))},
					PS.el('span', {class: 'name'}, ch), count));
			})));
	});
	return [PS.el('h3', null, '城市'), folded(cityList, PS.FACET_ITEMS), PS.el('h3', null, '章'),
		folded(PS.el('ul', {class: 'facet-chapters', id: 'facet-chapter'}, chapters), 5)];
}

function filtersNode(sp) {
	var chips = [];
	sp.city.forEach(function (c) {
		chips.push(PS.el('a', {class: 'chip', href: PS.link(withParams(sp, {city: sp.city.filter(function (x) { return x !== c; }), offset: ''}))},
			'城市：' + c, PS.el('span', {class: 'x', 'aria-label': '去掉'}, ' ×')));
	});
	if (sp.section)
		chips.push(PS.el('a', {class: 'chip', href: PS.link(withParams(sp, {section: '', offset: ''}))},
			'章节：' + sp.section, PS.el('span', {class: 'x', 'aria-label': '去掉'}, ' ×')));
	if (sp.level)
		chips.push(PS.el('a', {class: 'chip', href: PS.link(withParams(sp, {level: '', offset: ''}))},
			'层级：' + sp.level, PS.el('span', {class: 'x', 'aria-label': '去掉'}, ' ×')));
	return chips;
}

function pagerNode(total, sp) {
	var limit = PS.PAGE_SIZE;
	if (total <= limit)
		return [];
	var pages = Math.ceil(total / limit), cur = Math.floor(sp.offset / limit);
	var out = [];
	function page(i, label) {
		if (i === cur)
			return PS.el('span', {class: 'current', 'aria-current': 'page'}, label);
		return PS.el('a', {href: PS.link(withParams(sp, {offset: i ? i * limit : ''}))}, label);
	}
	if (cur > 0)
		out.push(page(cur - 1, '上一页'));
	var from = Math.max(0, cur - 4), to = Math.min(pages, from + 9);
	from = Math.max(0, to - 9);
	if (from > 0)
		out.push(page(0, '1'), from > 1 ? PS.el('span', {class: 'gap'}, '…') : null);
	for (var i = from; i < to; i++)
		out.push(page(i, String(i + 1)));
	if (to < pages)
		out.push(to < pages - 1 ? PS.el('span', {class: 'gap'}, '…') : null, page(pages - 1, String(pages)));
	if (cur < pages - 1)
		out.push(page(cur + 1, '下一页'));
	return out;
}

PS.renderSearch = function (p) {
	var sp = PS.searchParams(p);
	var status = document.getElementById('search-status');
	var hits = document.getElementById('hits');
	document.getElementById('q').value = sp.q;
	document.getElementById('scope').value = sp.scope || 'clause';
	document.getElementById('any').checked = sp.any;
	anyChanged();
	PS.fill(document.getElementById('filters'), filtersNode(sp));
	document.title = sp.q ? sp.q + ' - 政策文件检索' : '政策文件检索';
	if (!sp.q.trim()) {
		PS.fill(hits, []);
		PS.fill(document.getElementById('facets'), []);
		PS.fill(document.getElementById('pager'), []);
		PS.showStatus(status, '输入检索式后按回车。');
		return Promise.resolve();
	}
	PS.showStatus(status, '正在检索…');
	status.setAttribute('data-state', 'loading');
	return PS.get('search', '/api/search', {q: sp.q, scope: sp.scope, any: sp.any, city: sp.city,
		section: sp.section, level: sp.level, limit: PS.PAGE_SIZE, offset: sp.offset})
		.then(function (data) {
			var unit = PS.UNIT_NAMES[data.scope] || '条';
			var n = data.hits.length;
			var line = ['共找到 ', PS.el('strong', {id: 'total'}, PS.num(data.total)), ' ' + unit];
			if (sp.any)
				line.push('（按相关度排列）');
			if (n && (data.total > n || data.offset))
				line.push('，显示第 ' + PS.num(data.offset + 1) + '–' + PS.num(data.offset + n) + ' ' + unit);
			else if (!n && data.total)
				line.push('，此页已无结果');
			PS.showStatus(status, line);
			status.setAttribute('data-state', 'done');
			PS.fill(hits, data.hits.map(function (h, i) { return hitNode(h, data.offset + i + 1, sp.q); }));
			hits.setAttribute('start', data.offset + 1);
			PS.fill(document.getElementById('facets'), facetsNode(data, sp));
			PS.fill(document.getElementById('pager'), pagerNode(data.total, sp));
		})
		.catch(function (err) {
			if (err === PS.stale)
				return;
			PS.fill(hits, []);
			PS.fill(document.getElementById('facets'), []);
			PS.fill(document.getElementById('pager'), []);
			PS.showError(status, err);
			status.setAttribute('data-state', 'error');
		});
};

// Ranking by relevance (--any) works on clauses only: the scope selector says so.
function anyChanged() {
	var scope = document.getElementById('scope');
	scope.disabled = document.getElementById('any').checked;
	if (scope.disabled)
		scope.value = 'clause';
}
document.getElementById('any').addEventListener('change', anyChanged);

document.getElementById('search-form').addEventListener('submit', function (ev) {
	ev.preventDefault();
	var sp = PS.searchParams(PS.params());
	var scope = document.getElementById('scope').value;
	PS.go(withParams(sp, {
		q: document.getElementById('q').value.trim(),
		scope: scope === 'clause' ? '' : scope,
		any: document.getElementById('any').checked,
		offset: ''
	}));
});
})();
