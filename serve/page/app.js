// app.js: the router: shows the view the address names and renders it, on load and on back/forward.
(function () {
'use strict';

PS.VIEWS = {
	search: function (p) { return PS.renderSearch(p); },
	doc: function (p) { return PS.renderDoc(p); },
	plans: function () { return PS.renderPlans(); },
	freq: function (p) { return PS.renderFreq(p); },
	kwic: function (p) { return PS.renderKwic(p); }
};

// Renders the view the address names (?view=…, the search view by default).
PS.render = function () {
	var p = PS.params();
	var view = PS.VIEWS[p.get('view')] ? p.get('view') : 'search';
	Object.keys(PS.VIEWS).forEach(function (v) {
		document.getElementById('view-' + v).hidden = v !== view;
	});
	document.querySelectorAll('.tabs a').forEach(function (a) {
		var on = a.getAttribute('data-view') === view || (view === 'doc' && a.getAttribute('data-view') === 'plans');
		a.classList.toggle('active', on);
	});
	document.body.setAttribute('data-view', view);
	return PS.VIEWS[view](p);
};

window.addEventListener('popstate', function () { PS.render(); });
PS.render();
})();
