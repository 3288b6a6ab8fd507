import { render } from "preact";
import "./styles.css";
import { warmUpWhenIdle } from "./markdown/render";
import { App } from "./ui/App";

render(<App />, document.getElementById("app")!);
warmUpWhenIdle();
