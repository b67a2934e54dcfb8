// Entry point: the styles and the page's shell paint first; the app (charts, tasks, rnnlab)
// loads right after, so a first paint never waits for the code behind it.
import './styles.css';

requestAnimationFrame(() => {
  setTimeout(async () => {
    const { App } = await import('./app/app.js');
    const app = new App(document);
    // For tests and the curious: the app is reachable from the console.
    /** @type {any} */ (window).playground = app;
    app.start();
  }, 0);
});
