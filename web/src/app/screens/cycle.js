// The meeting cycle's screens (meetings, agenda, contract, feedback, goals, reflection, access
// log) register themselves here with registerScreen (../registry.js): import each module below.
