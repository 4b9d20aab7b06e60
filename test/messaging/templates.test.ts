import { MessageTemplate, validateTemplate } from '../../src/messaging/templates';
import { isQuietHour, localTime, nextDeliveryTime } from '../../src/messaging/quietHours';
import { UnsubscribeTokens } from '../../src/messaging/unsubscribeTokens';
import { Types } from 'mongoose';

describe('message templates', () => {
  it('replaces every [:firstname:] and [:fullname:] and falls back when the name is unknown', () => {
    const t = new MessageTemplate('Hi [:firstname:]', 'Dear [:FullName:], [:firstname:] again.', 'there');
    expect(t.render({ firstname: 'Ada', fullname: 'Ada Lovelace' })).toMatchObject({ subject: 'Hi Ada', text: 'Dear Ada Lovelace, Ada again.' });
    expect(t.render({})).toMatchObject({ subject: 'Hi there', text: 'Dear there, there again.' });
  });

  it('renders activity fields and conditional blocks', () => {
    const t = new MessageTemplate('s', 'You spent {{lastWeekMinutes}} minutes{{#if lastWeekProblems}} and solved {{lastWeekProblems}} problems{{/if}}.{{#unless daysSinceActive}} Welcome back!{{/unless}}');
    expect(t.render({ lastWeekMinutes: 300, lastWeekProblems: 2, daysSinceActive: 3 }).text).toBe('You spent 300 minutes and solved 2 problems.');
    expect(t.render({ lastWeekMinutes: 5, lastWeekProblems: 0, daysSinceActive: 0 }).text).toBe('You spent 5 minutes. Welcome back!');
  });

  it('escapes values in the HTML part and keeps the subject on one line', () => {
    const t = new MessageTemplate('Hi [:firstname:]', 'Hello [:firstname:]\n\nBye');
    const out = t.render({ firstname: '<img src=x onerror=alert(1)>\r\nBcc: x@y' });
    expect(out.html).toBe('<p>Hello &lt;img src&#x3D;x onerror&#x3D;alert(1)&gt; Bcc: x@y</p>\n<p>Bye</p>');
    expect(out.subject).toBe('Hi <img src=x onerror=alert(1)> Bcc: x@y');
  });

  it.each([
    ['{{{firstname}}}', 'body: triple braces {{{ }}} are not allowed; values are always escaped'],
    ['{{email}}', 'body: unknown field {{email}}; use one of firstname, fullname, courseTitle, lastWeekMinutes, lastWeekProblems, lastWeekVideoMinutes, activeDays, daysSinceActive, totalMinutes'],
    ['{{#each x}}{{/each}}', 'body: only {{#if}} and {{#unless}} blocks are allowed, not {{#each}}'],
    ['{{> partial}}', 'body: partial syntax is not allowed'],
    ['{{constructor.name}}', 'body: unknown field {{constructor.name}}; use one of firstname, fullname, courseTitle, lastWeekMinutes, lastWeekProblems, lastWeekVideoMinutes, activeDays, daysSinceActive, totalMinutes'],
  ])('refuses %s', (body, message) => {
    expect(() => validateTemplate(body, 'body')).toThrow(message);
  });

  it('reports a syntax error with its first line', () => {
    expect(() => validateTemplate('{{#if lastWeekMinutes}}open', 'body')).toThrow(/^body: /);
  });
});

describe('quiet hours', () => {
  it('knows local hours and windows that wrap midnight', () => {
    expect(localTime(new Date('2024-06-01T20:30:00Z'), 'Europe/Berlin')).toEqual({ hour: 22, minute: 30 });
    expect(isQuietHour(22, { start: 21, end: 8 })).toBe(true);
    expect(isQuietHour(7, { start: 21, end: 8 })).toBe(true);
    expect(isQuietHour(8, { start: 21, end: 8 })).toBe(false);
    expect(isQuietHour(3, { start: 5, end: 5 })).toBe(false);
  });

  it('moves a delivery at 22:30 Berlin time to 08:00 the next morning', () => {
    expect(nextDeliveryTime(new Date('2024-06-01T20:30:00Z'), 'Europe/Berlin', { start: 21, end: 8 }).toISOString()).toBe('2024-06-02T06:00:00.000Z');
    const noon = new Date('2024-06-01T10:00:00Z');
    expect(nextDeliveryTime(noon, 'Europe/Berlin', { start: 21, end: 8 })).toBe(noon);
  });
});

describe('unsubscribe tokens', () => {
  const tokens = new UnsubscribeTokens('x'.repeat(40));
  it('round-trips a learner id and refuses forgeries', () => {
    const id = new Types.ObjectId();
    const token = tokens.sign(id);
    expect(token).toMatch(/^[\w-]{38}$/);
    expect(String(tokens.verify(token))).toBe(String(id));
    const forged = token.slice(0, 20) + (token[20] === 'A' ? 'B' : 'A') + token.slice(21);
    expect(tokens.verify(forged)).toBeUndefined();
    expect(new UnsubscribeTokens('y'.repeat(40)).verify(token)).toBeUndefined();
    expect(tokens.verify('short')).toBeUndefined();
  });
});
