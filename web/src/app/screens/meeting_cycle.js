// Registers the meeting cycle's tabs (meetings, agenda, contract, feedback, goals, reflection,
// access log) with the shell: importing this module is enough.
import './meetings.js';
import './agenda.js';
import './contract.js';
import './feedback.js';
import './goals.js';
import './reflection.js';
import './access_log.js';
