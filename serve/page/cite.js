// cite.js: the 引用 buttons: fetch a passage's formatted citation, show it and copy it.
(function () {
'use strict';

// Copies text to the clipboard: navigator.clipboard where the page may use it (a secure
// context such as http://127.0.0.1), else a selected hidden textarea and execCommand.
// Resolves to true when copied.
PS.copy = function (text) {
	if (navigator.clipboard && window.isSecureContext) {
		return navigator.clipboard.writeText(text).then(function () { return true; },
			function () { return legacyCopy(text); });
	}
	return Promise.resolve(legacyCopy(text));
};

function legacyCopy(text) {
	var ta = PS.el('textarea', {class: 'offscreen', readonly: true});
	ta.value = text;
	document.body.appendChild(ta);
	ta.select();
	var ok = false;
	try {
		ok = document.execCommand('copy');
	} catch (e) {
		ok = false;
	}
	document.body.removeChild(ta);
	return ok;
}

// The buttons for passage id: 引用 (the text citation) and Markdown, each of which fetches
// /api/cite?id=…&format=…, shows the citation in a box below the buttons and copies it.
// Returns the element holding the buttons and the box.
PS.citeTools = function (id) {
	var box = PS.el('pre', {class: 'citation', hidden: true});
	var note = PS.el('span', {class: 'copied', 'aria-live': 'polite'});
	function cite(format, label) {
		return PS.el('button', {type: 'button', class: 'cite', 'data-format': format, onclick: function () {
			PS.fill(note, '正在取引文…');
			fetch(PS.apiUrl('/api/cite', {id: id, format: format}))
				.then(function (res) {
					return res.text().then(function (body) {
						if (!res.ok)
							throw errorOfText(res, body);
						return body.replace(/\s+$/, '');
					});
				})
				.then(function (text) {
					box.hidden = false;
					box.setAttribute('data-format', format);
					PS.fill(box, text);
					return PS.copy(text).then(function (ok) {
						PS.fill(note, ok ? '已复制' + label : '已取得' + label + '，请手动复制');
					});
				})
				.catch(function (err) {
					PS.fill(note, '引用失败：' + err.message);
				});
		}}, label);
	}
	return PS.el('div', {class: 'cite-tools'},
		cite('text', '引用'), cite('markdown', 'Markdown'), note, box);
};

function errorOfText(res, body) {
	try {
		var j = JSON.parse(body);
		if (j.error)
			return new Error(typeof j.error === 'string' ? j.error : (j.error.message || JSON.stringify(j.error)));
	} catch (e) {
		/* not JSON: the status line below */
	}
	return new Error('HTTP ' + res.status);
}
})();
