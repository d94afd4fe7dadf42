// Copy-to-clipboard for the portal: a <button data-copy="some-id" hidden> copies the text
// of the element with that id. The buttons stay hidden where scripts (or the clipboard)
// are unavailable; the text can still be selected by hand.
(function () {
	'use strict';

	function setUp(button) {
		var target = document.getElementById(button.getAttribute('data-copy'));
		if (!target || !navigator.clipboard) {
			return;
		}
		var label = button.textContent;
		button.hidden = false;
		button.addEventListener('click', function () {
			navigator.clipboard.writeText(target.textContent.trim()).then(function () {
				button.textContent = 'Copied';
				setTimeout(function () { button.textContent = label; }, 2000);
			}, function () {
				button.textContent = 'Copy failed: select the text';
			});
		});
	}

	function init() {
		document.querySelectorAll('button[data-copy]').forEach(setUp);
	}

	if (document.readyState === 'loading') {
		document.addEventListener('DOMContentLoaded', init);
	}
	else {
		init();
	}
})();
