// Entry point: styles, then the app once the page has painted its shell.
import './styles.css';
import { App } from './app.js';

const app = new App(document);
// For tests and the curious: the app is reachable from the console.
/** @type {any} */ (window).playground = app;
app.start();
