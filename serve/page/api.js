// api.js: the page's address (its state, so every view can be linked to) and calls to /api/*.
(function () {
'use strict';

// A query string from {name: value or [values]}: empty values are left out, an array
// gives the name once per value (city=丹东&city=通化).
PS.query = function (params) {
	var u = new URLSearchParams();
	Object.keys(params).forEach(function (k) {
		var v = params[k];
		(Array.isArray(v) ? v : [v]).forEach(function (x) {
			if (x !== undefined && x !== null && x !== '' && x !== false)
				u.append(k, x === true ? '1' : String(x));
		});
	});
	var s = u.toString();
	return s ? '?' + s : '';
};

// The page's own link for these parameters ("?q=双减&scope=paragraph", "?" for the start).
PS.link = function (params) {
	return PS.query(params) || '?';
};

PS.apiUrl = function (path, params) {
	return path + PS.query(params || {});
};

// The address's parameters: URLSearchParams of location.search.
PS.params = function () {
	return new URLSearchParams(location.search);
};

// Goes to the page's link for params: pushes it onto the history and renders it.
PS.go = function (params) {
	history.pushState(null, '', PS.link(params));
	PS.render();
};

// The message of a failed call: the server's JSON "error" (the CLI's message), else the
// status line.
function errorOf(res, body) {
	var msg = '';
	try {
		var j = JSON.parse(body);
		msg = j.error || j.message || '';
		if (msg && typeof msg === 'object')
			msg = msg.message || JSON.stringify(msg);
	} catch (e) {
		msg = '';
	}
	return new Error(msg || ('HTTP ' + res.status + ' ' + res.statusText));
}

// GET path?params and read the answer as JSON (or as text with asText). Resolves to the
// value; rejects with an Error whose message is the server's. Only the newest call of a
// kind counts: a call made while an older one of the same kind is still out makes the
// older one reject with PS.stale, so a slow answer never overwrites a newer one.
var latest = {};
PS.stale = new Error('stale');
PS.get = function (kind, path, params, asText) {
	var token = {};
	latest[kind] = token;
	return fetch(PS.apiUrl(path, params), {headers: {Accept: asText ? 'text/plain' : 'application/json'}})
		.then(function (res) {
			return res.text().then(function (body) {
				if (latest[kind] !== token)
					throw PS.stale;
				if (!res.ok)
					throw errorOf(res, body);
				return asText ? body : JSON.parse(body);
			});
		});
};

// Shows err in the status element unless it is a superseded call's.
PS.showError = function (statusEl, err) {
	if (err === PS.stale)
		return;
	statusEl.classList.add('error');
	PS.fill(statusEl, err && err.message ? err.message : String(err));
};

PS.showStatus = function (statusEl, children) {
	statusEl.classList.remove('error');
	PS.fill(statusEl, children);
};

// The plan a passage id belongs to: its first part (dandong/2.2/6 -> dandong).
PS.planOf = function (id) {
	var i = String(id || '').indexOf('/');
	return i < 0 ? String(id || '') : String(id).slice(0, i);
};

// The link to a passage (or a section, plan/path) in its document.
PS.docLink = function (id, extra) {
	var p = {view: 'doc', id: id};
	Object.keys(extra || {}).forEach(function (k) { p[k] = extra[k]; });
	return PS.link(p);
};

// Makes a plain click on a link made by PS.link stay in the page (history.pushState)
// instead of loading it anew; other clicks (new tab, download) are the browser's.
document.addEventListener('click', function (ev) {
	var a = ev.target.closest ? ev.target.closest('a[href]') : null;
	if (!a || ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey)
		return;
	var href = a.getAttribute('href');
	if (href.charAt(0) !== '?' || a.hasAttribute('download'))
		return;
	ev.preventDefault();
	history.pushState(null, '', href);
	PS.render();
});
})();
