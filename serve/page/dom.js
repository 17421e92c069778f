// dom.js: building elements with text only (never HTML from data), and marking byte ranges in text.
(function () {
'use strict';

var PS = window.PS || {};
window.PS = PS;

// el('a', {href: u, class: 'x'}, child...): a new element. Attributes are set with
// setAttribute, children are nodes or strings, and a string always becomes a text node, so
// nothing from a plan, a manifest or a query is ever read as HTML. null and undefined
// children are skipped, arrays are flattened.
PS.el = function (tag, attrs) {
	var node = document.createElement(tag);
	var name;
	for (name in attrs || {}) {
		if (attrs[name] === null || attrs[name] === undefined || attrs[name] === false)
			continue;
		if (name.slice(0, 2) === 'on' && typeof attrs[name] === 'function')
			node.addEventListener(name.slice(2), attrs[name]);
		else
			node.setAttribute(name, attrs[name] === true ? '' : String(attrs[name]));
	}
	PS.append(node, Array.prototype.slice.call(arguments, 2));
	return node;
};

PS.append = function (node, children) {
	children.forEach(function (c) {
		if (c === null || c === undefined || c === false)
			return;
		if (Array.isArray(c))
			PS.append(node, c);
		else if (typeof c === 'string' || typeof c === 'number')
			node.appendChild(document.createTextNode(String(c)));
		else
			node.appendChild(c);
	});
};

// Empties node and fills it with children.
PS.fill = function (node, children) {
	while (node.firstChild)
		node.removeChild(node.firstChild);
	PS.append(node, Array.isArray(children) ? children : [children]);
	return node;
};

// The UTF-16 index in text of each UTF-8 byte offset a character starts at: the server gives
// match ranges in bytes of the passage's UTF-8 text, JavaScript strings count UTF-16 units.
// Returns a function from a byte offset to an index; an offset inside a character (which
// the server never sends) rounds down, one past the end maps to text.length.
PS.byteIndex = function (text) {
	var starts = [], idx = [], bytes = 0, i = 0;
	while (i < text.length) {
		var cp = text.codePointAt(i);
		starts.push(bytes);
		idx.push(i);
		bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
		i += cp >= 0x10000 ? 2 : 1;
	}
	starts.push(bytes);
	idx.push(text.length);
	return function (b) {
		var lo = 0, hi = starts.length - 1;
		while (lo < hi) { // the last start <= b
			var mid = (lo + hi + 1) >> 1;
			if (starts[mid] <= b)
				lo = mid;
			else
				hi = mid - 1;
		}
		return idx[lo];
	};
};

// Nodes for text with the byte ranges [[start, end], ...] in <mark>, one mark per range;
// a range that overlaps the one before extends its mark; ranges outside the text are clipped.
PS.marked = function (text, ranges) {
	var at = PS.byteIndex(text);
	var spans = (ranges || []).map(function (r) { return [at(r[0]), at(r[1])]; })
		.filter(function (r) { return r[1] > r[0]; })
		.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
	var out = [], pos = 0, last = null;
	spans.forEach(function (s) {
		if (s[1] <= pos)
			return;
		if (last && s[0] < pos) {
			last.textContent += text.slice(pos, s[1]);
		} else {
			if (s[0] > pos)
				out.push(document.createTextNode(text.slice(pos, s[0])));
			last = PS.el('mark', null, text.slice(s[0], s[1]));
			out.push(last);
		}
		pos = s[1];
	});
	if (pos < text.length)
		out.push(document.createTextNode(text.slice(pos)));
	return out;
};

// A number with thousands separators, as Chinese text writes them.
PS.num = function (n) {
	return Number(n).toLocaleString('zh-CN');
};
})();
