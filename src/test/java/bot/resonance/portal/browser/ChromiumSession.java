package bot.resonance.portal.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.chromium.ChromiumDriverLogLevel;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium driven through its chromedriver, for the portal's browser
 * tests: opens pages, types and clicks like a person, waits for page loads and htmx
 * updates, keeps a screenshot of every page it settles on (under
 * {@code target/portal-screenshots/<test class>/}) and fails a page whose browser console
 * has errors (a script or style the Content-Security-Policy refused, a JavaScript
 * exception, a stylesheet or script that did not load).
 *
 * <p>
 * Uses the machine's Chromium and chromedriver ({@code /usr/bin/chromium},
 * {@code /usr/bin/chromedriver}: Debian's {@code chromium} and {@code chromium-driver}
 * packages), or the ones named by the system properties {@value #BROWSER_PROPERTY} and
 * {@value #DRIVER_PROPERTY} (environment: {@value #BROWSER_VARIABLE},
 * {@value #DRIVER_VARIABLE}). Nothing is downloaded: Selenium Manager is never asked.
 * When they are missing, {@link #start()} fails saying what to install; browser tests
 * never skip.
 */
public final class ChromiumSession implements AutoCloseable {

	public static final String BROWSER_PROPERTY = "resonance.test.chromium";

	public static final String BROWSER_VARIABLE = "RESONANCE_TEST_CHROMIUM";

	public static final String DRIVER_PROPERTY = "resonance.test.chromedriver";

	public static final String DRIVER_VARIABLE = "RESONANCE_TEST_CHROMEDRIVER";

	/**
	 * Where screenshots go, one folder per test class (Maven runs tests in the project).
	 */
	public static final Path SCREENSHOTS = Path.of("target", "portal-screenshots");

	/** The desktop window every test starts with. */
	public static final int WIDTH = 1280;

	public static final int HEIGHT = 900;

	private static final Duration PATIENCE = Duration.ofSeconds(15);

	private static final String INSTALL = "Install Chromium and its chromedriver (Debian, as root: apt-get install -y chromium chromium-driver), "
			+ "or name other binaries with -D" + BROWSER_PROPERTY + "=… and -D" + DRIVER_PROPERTY + "=… (environment: "
			+ BROWSER_VARIABLE + ", " + DRIVER_VARIABLE + ").";

	private final ChromeDriverService service;

	private final ChromeDriver driver;

	private String base = "";

	private Path screenshots = SCREENSHOTS;

	private String test = "test";

	private int pages;

	/** The emulated phone's width in CSS pixels, 0 on the desktop. */
	private int phoneWidth;

	private ChromiumSession(ChromeDriverService service, ChromeDriver driver) {
		this.service = service;
		this.driver = driver;
	}

	/**
	 * Starts a headless Chromium with a desktop-sized window.
	 * @throws AssertionError when Chromium or chromedriver is missing or does not start
	 */
	public static ChromiumSession start() {
		Path browser = executable("Chromium", BROWSER_PROPERTY, BROWSER_VARIABLE, "/usr/bin/chromium");
		Path driverExecutable = executable("chromedriver", DRIVER_PROPERTY, DRIVER_VARIABLE, "/usr/bin/chromedriver");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(browser.toFile());
		// --no-sandbox: CI runs as root, where Chromium's sandbox cannot start.
		// --disable-dev-shm-usage: containers have a tiny /dev/shm.
		options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
				"--window-size=" + WIDTH + "," + HEIGHT, "--hide-scrollbars", "--no-first-run",
				"--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
				"--disable-component-update", "--disable-sync", "--no-proxy-server", "--lang=en-US");
		LoggingPreferences logging = new LoggingPreferences();
		logging.enable(LogType.BROWSER, Level.ALL);
		options.setCapability("goog:loggingPrefs", logging);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driverExecutable.toFile())
			.usingAnyFreePort()
			.withLogFile(driverLog())
			.withAppendLog(true)
			.withLogLevel(ChromiumDriverLogLevel.WARNING)
			.build();
		try {
			return new ChromiumSession(service, new ChromeDriver(service, options));
		}
		catch (RuntimeException ex) {
			service.stop();
			throw new AssertionError("Chromium (" + browser + ") did not start through " + driverExecutable + " (log: "
					+ driverLog() + "): " + ex.getMessage() + "\n" + INSTALL, ex);
		}
	}

	private static Path executable(String name, String property, String variable, String fallback) {
		String configured = System.getProperty(property);
		if (configured == null || configured.isBlank()) {
			configured = System.getenv(variable);
		}
		Path path = Path.of((configured == null || configured.isBlank()) ? fallback : configured);
		if (!Files.isExecutable(path)) {
			throw new AssertionError("The portal's browser tests need " + name + ", which is not at " + path + ". "
					+ "They run a real headless Chromium and never skip. " + INSTALL);
		}
		return path;
	}

	private static java.io.File driverLog() {
		try {
			Files.createDirectories(SCREENSHOTS);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return SCREENSHOTS.resolve("chromedriver.log").toFile();
	}

	/**
	 * Starts a test on a clean browser: no cookies (so no session), the desktop window,
	 * the light colour scheme, an empty console; pages are opened relative to
	 * {@code base} and screenshots saved as
	 * {@code target/portal-screenshots/<testClass>/<testName>-<nn>-<name>.png}.
	 */
	public void beginTest(String base, String testClass, String testName) {
		this.base = base;
		this.screenshots = SCREENSHOTS.resolve(testClass);
		this.test = testName;
		this.pages = 0;
		this.phoneWidth = 0;
		forgetScreenshots(testName + "-");
		this.driver.get("about:blank");
		cdp("Network.clearBrowserCookies", Map.of());
		cdp("Emulation.clearDeviceMetricsOverride", Map.of());
		cdp("Emulation.setEmulatedMedia", Map.of("media", "", "features", List.of()));
		this.driver.manage().window().setSize(new org.openqa.selenium.Dimension(WIDTH, HEIGHT));
		consoleProblems();
	}

	/** The Selenium driver, for anything the helpers here do not do. */
	public WebDriver driver() {
		return this.driver;
	}

	// ---- pages

	/**
	 * Opens {@code path} (relative to the server, e.g. {@code /portal/webhooks}) and
	 * {@linkplain #page(String) settles} on it.
	 */
	public void open(String path, String name) {
		this.driver.get(this.base + path);
		page(name);
	}

	/**
	 * Does {@code action} (a click, Enter in a form) that loads a new page, waits until
	 * the new page has replaced the old one and {@linkplain #page(String) settles} on it.
	 */
	public void navigate(String name, Runnable action) {
		WebElement old = this.driver.findElement(By.tagName("html"));
		action.run();
		await("a new page after '" + name + "' (a form the browser refused to submit, or an htmx update?)",
				(driver) -> isStale(old));
		page(name);
	}

	/** Clicks the element and {@linkplain #navigate settles} on the page it loads. */
	public void clickAndLoad(By element, String name) {
		navigate(name, () -> find(element).click());
	}

	/**
	 * Settles on the page shown now: waits until it has loaded and no htmx request is
	 * under way, saves a screenshot of the whole page named {@code name}, and fails if
	 * the browser console has errors or, on a {@linkplain #phone phone}, if the page is
	 * wider than the screen. Call it again after an htmx update to check and keep that
	 * state too.
	 */
	public void page(String name) {
		awaitHtmxIdle();
		List<String> problems = consoleProblems();
		Path screenshot = screenshot(name);
		if (!problems.isEmpty()) {
			throw new AssertionError("The browser console of " + this.driver.getCurrentUrl() + " (" + screenshot
					+ ") has errors:\n" + String.join("\n", problems));
		}
		if (this.phoneWidth > 0) {
			assertFitsThePhone();
		}
	}

	/**
	 * Fails if the page is wider than the emulated {@linkplain #phone phone}'s screen (it
	 * would scroll sideways). A phone stretches its viewport to the content, so the
	 * page's width is compared with the screen's, not with {@code innerWidth}.
	 */
	public void assertFitsThePhone() {
		if (this.phoneWidth == 0) {
			throw new IllegalStateException("No phone is emulated: call phone(width, height) first");
		}
		long width = ((Number) script("return Math.max(document.documentElement.scrollWidth, window.innerWidth)"))
			.longValue();
		if (width > this.phoneWidth) {
			throw new AssertionError(this.driver.getCurrentUrl() + " is " + width + " CSS pixels wide, wider than the "
					+ this.phoneWidth + " of the phone's screen (see its screenshot): something does not wrap or "
					+ "shrink; put tables in <div class=\"table-scroll\">, let long values break");
		}
	}

	/** The path (and query) of the page shown, without the server. */
	public String path() {
		String url = this.driver.getCurrentUrl();
		return url.startsWith(this.base) ? url.substring(this.base.length()) : url;
	}

	/** The page's HTML as the browser has it now (after scripts and htmx swaps). */
	public String html() {
		return this.driver.getPageSource();
	}

	// ---- elements

	/** The element with {@code data-test="name"}. */
	public static By test(String name) {
		return By.cssSelector("[data-test=\"" + name + "\"]");
	}

	/** The element with the id. */
	public static By id(String id) {
		return By.id(id);
	}

	/** The one element, waiting for it to appear (htmx may still be adding it). */
	public WebElement find(By element) {
		return await("an element " + element, (driver) -> {
			List<WebElement> found = driver.findElements(element);
			return found.isEmpty() ? null : found.getFirst();
		});
	}

	/** Every element matching now, perhaps none. */
	public List<WebElement> findAll(By elements) {
		return this.driver.findElements(elements);
	}

	public boolean exists(By element) {
		return !this.driver.findElements(element).isEmpty();
	}

	/** The element's visible text. */
	public String text(By element) {
		return find(element).getText();
	}

	/** Empties the field and types {@code text} into it. */
	public void type(By field, String text) {
		WebElement input = find(field);
		input.clear();
		input.sendKeys(text);
	}

	public void click(By element) {
		find(element).click();
	}

	/** Picks the option with this visible text in a {@code <select>}. */
	public void choose(By select, String option) {
		new Select(find(select)).selectByVisibleText(option);
	}

	/** Ticks or unticks a checkbox (clicking it only when it is not as wanted). */
	public void check(By checkbox, boolean checked) {
		WebElement box = find(checkbox);
		if (box.isSelected() != checked) {
			box.click();
		}
	}

	/**
	 * Presses keys as a keyboard does: into whatever has the focus now
	 * ({@link org.openqa.selenium.Keys#TAB}, {@link org.openqa.selenium.Keys#ENTER},
	 * text).
	 */
	public void keys(CharSequence... keys) {
		new Actions(this.driver).sendKeys(keys).perform();
	}

	/** The element that has the keyboard focus. */
	public WebElement focused() {
		return this.driver.switchTo().activeElement();
	}

	/**
	 * The computed value of a CSS property of the element ({@code rgb(…)} for colours).
	 */
	public String style(By element, String property) {
		return find(element).getCssValue(property);
	}

	/** Runs JavaScript in the page (WebDriver's, not subject to the page's CSP). */
	public Object script(String script, Object... arguments) {
		return ((JavascriptExecutor) this.driver).executeScript(script, arguments);
	}

	// ---- waiting

	/**
	 * Waits (up to 15 s) until {@code condition} gives something other than {@code null}
	 * or {@code false}, and returns it.
	 */
	public <T> T await(String what, Function<WebDriver, T> condition) {
		return new WebDriverWait(this.driver, PATIENCE).withMessage("waiting for " + what + " on " + path())
			.ignoring(StaleElementReferenceException.class)
			.until((driver) -> {
				try {
					return condition.apply(driver);
				}
				catch (WebDriverException ex) {
					if (isDetachedNode(ex) || isReplacedPage(ex)) {
						return null;
					}
					throw ex;
				}
			});
	}

	/** Waits until the element's text contains {@code text} (an htmx update, say). */
	public void awaitText(By element, String text) {
		await("'" + text + "' in " + element, (driver) -> {
			List<WebElement> found = driver.findElements(element);
			return !found.isEmpty() && found.getFirst().getText().contains(text);
		});
	}

	/**
	 * Waits until the page has loaded and htmx has no request, swap or settle under way.
	 */
	public void awaitHtmxIdle() {
		await("the page to load and htmx to be idle",
				(driver) -> Boolean.TRUE.equals(script("return document.readyState === 'complete' && "
						+ "document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling') === null")));
	}

	/**
	 * Whether the element is gone with its page. While a page is replaced, Chromium may
	 * answer for a node of the old document with an inspector error that it no longer
	 * belongs to the document instead of a stale reference: the same fact in other words
	 * (and a condition {@linkplain #await awaited} meets it by looking again).
	 */
	private static boolean isStale(WebElement element) {
		try {
			element.isEnabled();
			return false;
		}
		catch (StaleElementReferenceException ex) {
			return true;
		}
		catch (WebDriverException ex) {
			if (isDetachedNode(ex)) {
				return true;
			}
			throw ex;
		}
	}

	private static boolean isDetachedNode(WebDriverException ex) {
		return String.valueOf(ex.getMessage()).contains("does not belong to the document");
	}

	/**
	 * Whether a script ran into the page being replaced under it (its JavaScript context
	 * went away with the old page): a condition awaited then looks again on the new one.
	 */
	private static boolean isReplacedPage(WebDriverException ex) {
		String message = String.valueOf(ex.getMessage());
		return message.contains("Execution context was destroyed") || message.contains("no such execution context")
				|| message.contains("Cannot find context with specified id");
	}

	// ---- the console

	/**
	 * The browser console's errors since the last look (and forgets them): scripts or
	 * styles refused by the Content-Security-Policy, JavaScript exceptions, resources
	 * that did not load. The page's own HTTP status is no error here (an error page is a
	 * page: the test checks what it says); nor is the favicon the browser asks for by
	 * itself.
	 */
	public List<String> consoleProblems() {
		String current = this.driver.getCurrentUrl();
		return this.driver.manage()
			.logs()
			.get(LogType.BROWSER)
			.getAll()
			.stream()
			.filter((entry) -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
			.map(LogEntry::getMessage)
			.filter((message) -> !message.startsWith(current + " - Failed to load resource:"))
			.filter((message) -> !message.contains("/favicon.ico"))
			.toList();
	}

	// ---- screenshots

	/**
	 * Saves a screenshot of the whole page (beyond the window) as
	 * {@code <testName>-<nn>-<name>.png} in the test class's folder, and returns it.
	 */
	public Path screenshot(String name) {
		this.pages++;
		Path file = this.screenshots
			.resolve(String.format(Locale.ROOT, "%s-%02d-%s.png", this.test, this.pages, name.replaceAll("\\W+", "-")));
		try {
			Files.createDirectories(this.screenshots);
			Files.write(file, Base64.getDecoder().decode((String) fullPage().get("data")));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return file;
	}

	/** The screenshots of an earlier run of the same test (a build without clean). */
	private void forgetScreenshots(String prefix) {
		if (!Files.isDirectory(this.screenshots)) {
			return;
		}
		try (var files = Files.list(this.screenshots)) {
			for (Path file : files.filter((file) -> file.getFileName().toString().startsWith(prefix)).toList()) {
				Files.delete(file);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> fullPage() {
		Map<String, Object> metrics = cdp("Page.getLayoutMetrics", Map.of());
		Map<String, Object> content = (Map<String, Object>) metrics.get("cssContentSize");
		Map<String, Object> viewport = (Map<String, Object>) metrics.get("cssLayoutViewport");
		double width = Math.max(number(content.get("width")), number(viewport.get("clientWidth")));
		double height = Math.max(number(content.get("height")), number(viewport.get("clientHeight")));
		return cdp("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true, "clip",
				Map.of("x", 0, "y", 0, "width", width, "height", Math.min(height, 16_000), "scale", 1)));
	}

	private static double number(Object value) {
		return ((Number) value).doubleValue();
	}

	// ---- emulation

	/**
	 * Shows pages as a phone of {@code width} x {@code height} CSS pixels does (mobile
	 * viewport, the page's {@code <meta name="viewport">} applies) until the next test;
	 * every page settled on must then fit the screen's width.
	 */
	public void phone(int width, int height) {
		this.phoneWidth = width;
		cdp("Emulation.setDeviceMetricsOverride",
				Map.of("width", width, "height", height, "deviceScaleFactor", 2, "mobile", true));
	}

	/**
	 * Emulates the system's colour scheme ({@code "dark"} or {@code "light"}), as
	 * {@code prefers-color-scheme} sees it, until the next test.
	 */
	public void colorScheme(String scheme) {
		cdp("Emulation.setEmulatedMedia",
				Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
	}

	/** Sends a Chrome DevTools Protocol command to the page. */
	public Map<String, Object> cdp(String command, Map<String, Object> parameters) {
		return this.driver.executeCdpCommand(command, parameters);
	}

	/** Forgets every cookie (signs out without the form). */
	public void clearCookies() {
		cdp("Network.clearBrowserCookies", Map.of());
	}

	@Override
	public void close() {
		try {
			this.driver.quit();
		}
		finally {
			this.service.stop();
		}
	}

}
