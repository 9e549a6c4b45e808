// The meeting cycle's screens (meetings, agenda, contract, feedback, goals, reflection, access
// log) register themselves here with registerScreen (../registry.js): import each module below.
import './meetings.js';
import './agenda.js';
import './contract.js';
import './feedback.js';
import './goals.js';
import './reflection.js';
import './access_log.js';
