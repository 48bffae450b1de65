// The views, in tab order (keys 1..N). A new view is one ViewDef added here.
import type { ViewDef } from '../view.js';
import { channelsView } from './channels.js';
import { dashboardView } from './dashboard.js';
import { libraryView } from './library.js';
import { profilesView } from './profiles.js';
import { schedulesView } from './schedules.js';
import { tunerView } from './tuner.js';

export const VIEWS: ViewDef[] = [dashboardView, channelsView, schedulesView, libraryView, profilesView, tunerView];
