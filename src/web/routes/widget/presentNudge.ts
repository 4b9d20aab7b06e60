import type { WidgetContent } from '../../../nudges/nudgeContent';
import type { Placement } from '../../../nudges/strategies';

/** What the widget API returns: this learner's message for the placement, the explanation and the opt-out state — never arm names or ids. */
export interface PresentedNudge {
  placement: Placement;
  message: string | null;
  why: string;
  optedOut: boolean;
}

const NOTHING_YET = 'Keepup has nothing to show you yet; it refreshes after the course\'s nightly update.';

/** Presents cached content (or its absence) for one placement. */
export function presentNudge(content: WidgetContent | null, placement: Placement): PresentedNudge {
  if (!content) return { placement, message: null, why: NOTHING_YET, optedOut: false };
  return { placement, message: content.messages[placement], why: content.why[placement], optedOut: content.optedOut };
}
