import { describe, expect, it } from 'vitest';
import { PackArgumentError, parsePackArguments } from './cli-arguments';

describe('parsePackArguments', () => {
  it('takes the network, period, indicators, formats and folder, with the endpoint’s defaults', () => {
    expect(parsePackArguments(['--network', 'KB-CVD-SCN', '--period', '2025/26 Q2', '--indicators', 'VA-SHMI, VA-AE4H', '--format', 'both', '--out', 'packs'])).toEqual({
      options: { network: 'KB-CVD-SCN', period: '2025/26 Q2', indicators: ['VA-SHMI', 'VA-AE4H'], trim: 0.1, recent: 4 },
      formats: ['pptx', 'pdf'],
      out: 'packs',
    });
  });

  it('writes a deck into the current folder by default and passes the method on', () => {
    const command = parsePackArguments(['--network', 'N', '--period', 'P', '--adjustment', 'additive', '--suppression', '0']);
    expect(command).toMatchObject({ formats: ['pptx'], out: '.', options: { adjustment: 'additive', suppression: 0 } });
  });

  it.each([
    [['--period', 'P'], /^--network is required/],
    [['--network', 'N', '--period', 'P', '--format', 'docx'], /^--format: must be pptx, pdf or both, not "docx"/],
    [['--network', 'N', '--period', 'P', '--adjustment', 'some'], /^--adjustment: /],
    [['--network', 'N', '--period', 'P', '--indicators', 'A,A'], /^--indicators: must not name a code twice/],
    [['--network', 'N', '--period', 'P', '--suppression', 'lots'], /^--suppression: /],
    [['--network', 'N', '--period', 'P', '--colour', 'blue'], /Unknown option '--colour'/],
    [['--network', 'N', '--period', 'P', 'extra'], /positional argument/],
  ])('refuses %j, naming the option', (args, message) => {
    expect(() => parsePackArguments(args)).toThrow(PackArgumentError);
    expect(() => parsePackArguments(args)).toThrow(message);
  });

  it('leaves the period to the latest of the pack\'s indicators when none is named, as the endpoint does', () => {
    const command = parsePackArguments(['--network', 'N']);
    expect(command).toMatchObject({ options: { network: 'N' } });
    expect(command !== 'help' && command.options.period).toBeUndefined();
  });

  it('answers help', () => {
    expect(parsePackArguments(['--help'])).toBe('help');
  });
});
