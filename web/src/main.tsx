import { render } from "preact";
import "./styles.css";
import { warmUpWhenIdle } from "./markdown/render";
import { App } from "./ui/App";
import { formatWhen } from "./ui/format";

render(<App />, document.getElementById("app")!);
warmUpWhenIdle(() => void formatWhen(new Date().toISOString()));
