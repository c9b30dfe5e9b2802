#!/usr/bin/env node
import { main } from "./cli.js";

// exit explicitly: a handler abandoned at shutdown may still hold timers open
process.exit(await main(process.argv.slice(2)));
