// doc.js: the document view: the plan's outline as a table of contents, a passage in place among its neighbours.
(function () {
'use strict';

PS.CONTEXT_SIZES = [3, 10, 30];

// The outline's headings as [{id, path, heading, depth}], from /api/outline's sections
// ({id, path, number, title, heading, depth, …}); the root (depth 0, the text before the
// first heading) is left out: it has no heading of its own.
function headingsOf(data, plan) {
	return (data.sections || []).filter(function (s) { return s && s.depth > 0; })
		.map(function (s) {
			return {id: s.id || plan + '/' + s.path, path: s.path, depth: s.depth,
				heading: s.heading || PS.heading(s)};
		});
}

function tocNode(headings, currentPath) {
	if (!headings.length)
		return PS.el('p', {class: 'muted'}, '此文件未分章节。');
	var items = headings.map(function (h) {
		var here = currentPath && (currentPath === h.path || currentPath.indexOf(h.path + '.') === 0);
		return PS.el('li', {class: 'depth-' + Math.min(h.depth, 6) + (here ? ' here' : ''),
			style: 'padding-left:' + (h.depth - 1) * 1.1 + 'em'},
			PS.el('a', {href: PS.docLink(h.id), 'data-path': h.path,
				'aria-current': currentPath === h.path ? 'location' : null}, h.heading));
	});
	return [PS.el('h3', null, '目录'), PS.el('ol', {class: 'toc-list'}, items)];
}

function contextSwitch(p, current) {
	return PS.el('span', {class: 'ctx-switch'}, '上下文：', PS.CONTEXT_SIZES.map(function (n) {
		if (n === current)
			return PS.el('span', {class: 'current'}, ' ' + n + ' 句 ');
		return PS.el('a', {href: PS.docLink(p.get('id'), {context: n === PS.CONTEXT_SIZES[0] ? '' : n})}, ' ' + n + ' 句 ');
	}));
}

function ctxLines(list, plan) {
	return (list || []).map(function (c) {
		return PS.el('p', {class: 'ctx', 'data-id': c.id},
			PS.el('a', {class: 'ctx-id', href: PS.docLink(c.id), title: '以此句为中心'}, c.id), ' ',
			PS.el('span', {class: 'ctx-text'}, c.text));
	});
}

function passageNode(c, plan, p, context) {
	var crumbs = (c.section || []).map(function (s, i) {
		return [i ? PS.el('span', {class: 'sep', 'aria-hidden': 'true'}, ' › ') : null,
			PS.el('a', {href: PS.docLink(plan + '/' + s.path)}, PS.heading(s))];
	});
	var meta = [c.city, c.province, c.date || '未注明日期'].filter(Boolean).join(' · ');
	var kinds = {clause: '句', paragraph: '段', section: '节'};
	return [
		p.get('q') ? PS.el('a', {class: 'back', href: PS.link({q: p.get('q')})}, '‹ 返回“' + p.get('q') + '”的检索结果') : null,
		PS.el('header', {class: 'doc-head'},
			PS.el('h2', {class: 'doc-title'}, c.document),
			PS.el('div', {class: 'muted'}, meta)),
		PS.el('nav', {class: 'crumbs'}, crumbs.length ? crumbs : '（正文前）'),
		PS.el('div', {class: 'doc-tools'}, contextSwitch(p, context),
			PS.el('span', {class: 'muted'}, ' · ' + c.file + ' 第' + c.line + (c.end_line && c.end_line !== c.line ? '–' + c.end_line : '') + '行')),
		PS.el('div', {class: 'reading'},
			ctxLines(c.context && c.context.before, plan),
			PS.el('div', {class: 'passage current', id: 'passage', 'data-id': c.id},
				PS.el('div', {class: 'passage-label'}, PS.el('code', {class: 'pid'}, c.id), ' 本' + (kinds[c.kind] || '段')),
				PS.el('p', {class: 'passage-text'}, c.text)),
			ctxLines(c.context && c.context.after, plan)),
		PS.el('div', {class: 'citation-line'}, PS.el('span', {class: 'label'}, '引文 '), c.citation),
		c.check && c.check.status !== 'unchanged' && c.check.message
			? PS.el('p', {class: 'warn'}, '核对：' + c.check.message) : null,
		PS.citeTools(c.id)
	];
}

function notFoundNode(c, plan) {
	return [PS.el('p', {class: 'error'}, c.message || ('找不到 ' + c.given)),
		c.suggestions && c.suggestions.length ? PS.el('p', null, '相近的编号：',
			c.suggestions.map(function (s) { return [PS.el('a', {href: PS.docLink(s)}, s), ' ']; })) : null];
}

// The head of a document opened without a passage: the plan's record from the outline.
function planHeadNode(rec, plan) {
	if (!rec)
		return PS.el('header', {class: 'doc-head'}, PS.el('h2', {class: 'doc-title'}, plan));
	return PS.el('header', {class: 'doc-head'},
		PS.el('h2', {class: 'doc-title'}, PS.planTitle(rec)),
		PS.el('div', {class: 'muted'}, [rec.city, rec.province, rec.date || '未注明日期'].filter(Boolean).join(' · ')),
		PS.el('p', null, '从目录中选一节阅读。'));
}

PS.renderDoc = function (p) {
	var id = p.get('id') || '';
	var plan = p.get('plan') || PS.planOf(id);
	var context = parseInt(p.get('context') || '', 10) || PS.CONTEXT_SIZES[0];
	var toc = document.getElementById('toc'), doc = document.getElementById('doc');
	PS.fill(doc, PS.el('p', {class: 'status'}, '正在读取…'));
	PS.fill(toc, []);
	var outline = PS.get('outline', '/api/outline', {plan: plan});
	var cite = id ? PS.get('doc', '/api/cite', {id: id, format: 'json', context: context}) : Promise.resolve(null);
	return Promise.all([outline.catch(function (e) { return e; }), cite])
		.then(function (r) {
			var c = r[1] && r[1].citations ? r[1].citations[0] : null;
			var path = c && c.found ? (c.section_path || (c.section && c.section.length ? c.section[c.section.length - 1].path : '')) : '';
			if (c && c.found && c.city_id)
				plan = c.city_id;
			if (r[0] instanceof Error)
				PS.fill(toc, PS.el('p', {class: 'error'}, r[0].message));
			else
				PS.fill(toc, tocNode(headingsOf(r[0], plan), path));
			if (!c)
				PS.fill(doc, planHeadNode(r[0] instanceof Error ? null : r[0].plan, plan));
			else if (!c.found)
				PS.fill(doc, notFoundNode(c, plan));
			else
				PS.fill(doc, passageNode(c, plan, p, context));
			document.title = (c && c.document ? c.document : plan) + ' - 政策文件检索';
			var here = toc.querySelector('[aria-current]');
			if (here && here.scrollIntoView)
				here.scrollIntoView({block: 'nearest'});
			var passage = document.getElementById('passage');
			if (passage && passage.scrollIntoView)
				passage.scrollIntoView({block: 'center'});
		})
		.catch(function (err) {
			if (err !== PS.stale)
				PS.fill(doc, PS.el('p', {class: 'error'}, err.message));
		});
};
})();
