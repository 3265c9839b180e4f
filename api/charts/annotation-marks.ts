/**
 * Dated notes on a provider's chart (a new pathway, a data-quality issue), drawn as a numbered dotted vertical
 * line at the note's period, with the number on the line and the note itself, its author and date, written out
 * beside the chart (the export's footnote, the dashboard's list). A note's text is a person's words: it is only
 * ever drawn as text, never as a template or markup, and the number alone goes inside the plot.
 */
import type { LineSeriesOption } from 'echarts';
import { fontFamily } from './chart-frame';
import { nhsColours } from './palette';

/** A note as the charts take it, on the chart's own x-axis (its period label). */
export interface ChartAnnotation {
  period: string;
  text: string;
  author: string;
  /** ISO time the note was written. */
  createdAt: string;
}

export const annotationSeriesName = 'Notes';

const writtenOn = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'Europe/London' });

/** The notes drawn, numbered in order; a note whose period is not on the chart is left out (and not numbered). */
export function drawnAnnotations(annotations: readonly ChartAnnotation[] | undefined, periods: readonly string[]): (ChartAnnotation & { number: number })[] {
  const shown = new Set(periods);
  return (annotations ?? []).filter((note) => shown.has(note.period)).map((note, index) => ({ ...note, number: index + 1 }));
}

/** "1. 2025/26 Q1: new pathway (A. Lead, 3 Dec 2026)": a note in words, for footnotes, lists and descriptions. */
export function annotationLine(note: ChartAnnotation & { number: number }): string {
  // One line each: a note's own line breaks would spill over the footnote's space on an image.
  const text = note.text.replace(/\s+/g, ' ').trim();
  return `${note.number}. ${note.period}: ${text} (${note.author}, ${writtenOn.format(new Date(note.createdAt))})`;
}

/** The vertical lines of the notes on a category x-axis of periods, or no series when there are none. */
export function annotationSeries(notes: readonly (ChartAnnotation & { number: number })[]): LineSeriesOption[] {
  if (notes.length === 0) return [];
  // Several notes on one period share a line, labelled with each of their numbers.
  const byPeriod = new Map<string, number[]>();
  for (const note of notes) byPeriod.set(note.period, [...(byPeriod.get(note.period) ?? []), note.number]);
  const style = { color: nhsColours.black, width: 1.5, type: 'dotted' as const };
  return [
    {
      type: 'line',
      id: 'annotations',
      name: annotationSeriesName,
      data: [],
      symbol: 'none',
      silent: true,
      z: 1,
      lineStyle: style,
      itemStyle: { color: style.color },
      markLine: {
        silent: true,
        symbol: 'none',
        lineStyle: style,
        label: { show: true, position: 'end', fontFamily, fontSize: 11, fontWeight: 'bold', color: style.color },
        // The label is the numbers alone, given as a function so no text is read as a template.
        data: [...byPeriod].map(([period, numbers]) => ({ xAxis: period, label: { formatter: () => numbers.join(', ') } })),
      },
    },
  ];
}

/** An SPC chart's rows for its CSV, each with the notes drawn at its period, numbered as on the image. */
export function withNotesByPeriod<Point extends { period: string; value: number | null }>(points: readonly Point[], annotations: readonly ChartAnnotation[] | undefined): (Point & { notes: string | null })[] {
  const notes = drawnAnnotations(annotations, points.filter((point) => point.value !== null).map((point) => point.period));
  return points.map((point) => ({ ...point, notes: notes.filter((note) => note.period === point.period).map(annotationLine).join(' ') || null }));
}
