import { buildWidgetContent, optedOutContent } from '../../src/nudges/nudgeContent';
import { certificateText, effortText, firstNameOf, nudgeText } from '../../src/nudges/strategies';
import { DEFAULT_ARMS } from '../../src/experiments/experimentDefinition';

const arms = DEFAULT_ARMS.map((a) => ({ ...a }));

describe('nudge texts', () => {
  it('certificate-driven: X from the trustworthy model estimate, with the first name when shared', () => {
    expect(certificateText({ firstName: 'Ada', whatIf: { certificatePerVideoHour: 0.032, trustworthy: true } })).toEqual({
      text: 'Ada, based on our study, your chance of earning a certificate goes up by about 3% for every hour of video you watch.',
    });
    expect(certificateText({ firstName: null, whatIf: { certificatePerVideoHour: 0.118, trustworthy: true } })).toEqual({
      text: 'Based on our study, your chance of earning a certificate goes up by about 12% for every hour of video you watch.',
    });
  });

  it('certificate-driven: nothing when the estimate is untrustworthy, missing or rounds below 1%', () => {
    expect(certificateText({ firstName: 'Ada', whatIf: { certificatePerVideoHour: 0.05, trustworthy: false } })).toEqual({ text: null, reason: 'untrustworthy' });
    expect(certificateText({ firstName: 'Ada', whatIf: { certificatePerVideoHour: 0.004, trustworthy: true } })).toEqual({ text: null, reason: 'untrustworthy' });
    expect(certificateText({ firstName: 'Ada', whatIf: { trustworthy: true } })).toEqual({ text: null, reason: 'no-estimate' });
    expect(certificateText({ firstName: 'Ada', whatIf: null })).toEqual({ text: null, reason: 'no-estimate' });
  });

  it("effort-driven: last week's real minutes and homework questions", () => {
    expect(effortText({ firstName: null, activity: { lastWeekMinutes: 300.4, lastWeekProblems: 2 } })).toEqual({ text: 'You spent 300 minutes learning and completed 2 homework questions last week, keep going!' });
    expect(effortText({ firstName: 'Lin', activity: { lastWeekMinutes: 1, lastWeekProblems: 1 } })).toEqual({ text: 'Lin, you spent 1 minute learning and completed 1 homework question last week, keep going!' });
    expect(effortText({ firstName: null, activity: { lastWeekMinutes: 0, lastWeekProblems: 0 } })).toEqual({ text: 'You have not had time for the course in the last week. Even 15 minutes today will help you keep going!' });
    expect(effortText({ firstName: null, activity: null })).toEqual({ text: null, reason: 'no-scores' });
  });

  it('places the certificate message beside the course or beside the video by arm; control shows its neutral message or nothing', () => {
    const inputs = { firstName: null, whatIf: { certificatePerVideoHour: 0.03, trustworthy: true } };
    expect(nudgeText('certificate', 'widget', inputs).text).toMatch(/about 3%/);
    expect(nudgeText('certificate', 'video', inputs)).toEqual({ text: null, reason: 'other-placement' });
    expect(nudgeText('certificate-video', 'video', inputs).text).toMatch(/about 3%/);
    expect(nudgeText('certificate-video', 'widget', inputs)).toEqual({ text: null, reason: 'other-placement' });
    expect(nudgeText('control', 'widget', { firstName: null })).toEqual({ text: null, reason: 'control' });
    expect(nudgeText('control', 'video', { firstName: null, neutralMessage: 'Keep learning!' })).toEqual({ text: 'Keep learning!' });
  });

  it('greets by the given name, else the first word of the shared full name, else not at all', () => {
    expect(firstNameOf({ givenName: ' Noor ', name: 'X Y' })).toBe('Noor');
    expect(firstNameOf({ name: 'Kofi Mensah' })).toBe('Kofi');
    expect(firstNameOf({})).toBeNull();
  });
});

describe('widget content', () => {
  const score = { whatIf: { certificatePerVideoHour: 0.03, trustworthy: true }, activity: { lastWeekMinutes: 120, lastWeekProblems: 3 } };

  it('builds both placements with an explanation for the arm', () => {
    const content = buildWidgetContent({ learner: { givenName: 'Eva' }, score, experiment: { id: 'e1', arm: 'effort', arms } });
    expect(content.messages).toEqual({
      widget: 'Eva, you spent 120 minutes learning and completed 3 homework questions last week, keep going!',
      video: 'Eva, you spent 120 minutes learning and completed 3 homework questions last week, keep going!',
    });
    expect(content.why.widget).toMatch(/^The figures are your own activity in this course over the last seven days/);
    expect(content).toMatchObject({ experimentId: 'e1', arm: 'effort', strategy: 'effort', optedOut: false });
  });

  it('shows nothing to the holdout, outside experiments, and to opted-out learners', () => {
    expect(buildWidgetContent({ learner: {}, score, experiment: { id: 'e1', arm: 'holdout', arms } }).messages).toEqual({ widget: null, video: null });
    expect(buildWidgetContent({ learner: {}, score, experiment: null }).messages).toEqual({ widget: null, video: null });
    expect(buildWidgetContent({ learner: { optOut: { nudges: true } }, score, experiment: { id: 'e1', arm: 'effort', arms } })).toEqual(optedOutContent());
  });
});
