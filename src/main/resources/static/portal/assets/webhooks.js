// The webhook pages: the Copy button next to a secret shown once.
(function () {
	'use strict';

	function copy(button) {
		var source = document.getElementById(button.getAttribute('data-copy'));
		var status = document.getElementById('copy-status');
		if (!source) {
			return;
		}
		var text = source.textContent.trim();
		var done = function (message) {
			if (status) {
				status.textContent = message;
			}
		};
		if (navigator.clipboard && window.isSecureContext) {
			navigator.clipboard.writeText(text).then(function () {
				done('Copied.');
			}, function () {
				select(source);
				done('Selected: press Ctrl+C (or ⌘C) to copy.');
			});
		}
		else {
			select(source);
			done('Selected: press Ctrl+C (or ⌘C) to copy.');
		}
	}

	function select(element) {
		var range = document.createRange();
		range.selectNodeContents(element);
		var selection = window.getSelection();
		selection.removeAllRanges();
		selection.addRange(range);
	}

	document.querySelectorAll('button[data-copy]').forEach(function (button) {
		button.hidden = false;
		button.addEventListener('click', function () {
			copy(button);
		});
	});
}());
