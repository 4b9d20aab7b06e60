import type { Audience } from './audience';

/** A named audience an instructor can start from. */
export interface AudiencePreset {
  id: string;
  label: string;
  description: string;
  audience: Audience;
}

const none = { dropout: null, completion: null, certificate: null, minInactiveDays: null, maxLastWeekMinutes: null };

/** The presets the dashboard offers (the Berkeley Communicator's groups, plus a re-engagement one). */
export const AUDIENCE_PRESETS: AudiencePreset[] = [
  {
    id: 'complete-no-certificate',
    label: 'Likely to complete but not earn a certificate',
    description: 'Completion 60–100%, certificate 0–40%.',
    audience: { ...none, completion: { min: 0.6, max: 1 }, certificate: { min: 0, max: 0.4 } },
  },
  {
    id: 'leave-not-complete',
    label: 'Likely to leave and not complete',
    description: 'Dropout 60–100%, completion 0–40%.',
    audience: { ...none, dropout: { min: 0.6, max: 1 }, completion: { min: 0, max: 0.4 } },
  },
  {
    id: 'strong-certificate',
    label: 'Strong certificate candidates (70–100%)',
    description: 'Certificate 70–100%.',
    audience: { ...none, certificate: { min: 0.7, max: 1 } },
  },
  {
    id: 'quiet-a-week',
    label: 'Quiet for a week or more, still likely to come back',
    description: 'Inactive 7+ days, dropout 0–60%.',
    audience: { ...none, dropout: { min: 0, max: 0.6 }, minInactiveDays: 7 },
  },
];
