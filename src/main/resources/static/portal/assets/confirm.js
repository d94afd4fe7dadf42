// Asks before a destructive form is sent: <form data-confirm="Delete this webhook?">. The
// question names what goes with it; cancelling sends nothing. Where scripts are off the form
// is sent at once, as every portal form works without scripts.
(function () {
	'use strict';

	document.addEventListener('submit', function (event) {
		var form = event.target;
		var question = form && form.getAttribute && form.getAttribute('data-confirm');
		if (question && !window.confirm(question)) {
			event.preventDefault();
			event.stopImmediatePropagation();
		}
	}, true);
})();
