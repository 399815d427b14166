/*
 * console.js: the operators' console of ijw-gateway. Every page works without
 * it; it asks before an action that changes something, and applies a filter
 * as soon as it is chosen.
 */
"use strict";
document.addEventListener("DOMContentLoaded", function () {
	document.querySelectorAll("form[data-confirm]").forEach(function (f) {
		f.addEventListener("submit", function (e) {
			if (!window.confirm(f.getAttribute("data-confirm")))
				e.preventDefault();
		});
	});
	document.querySelectorAll("form.filters select").forEach(function (s) {
		s.addEventListener("change", function () {
			s.form.submit();
		});
	});
});
