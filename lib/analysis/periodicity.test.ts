import { describe, expect, it } from 'vitest';
import { classifyPeriodicity, mostRegular } from './periodicity';

const range = (a: number, b: number, step = 1) => Array.from({ length: Math.floor((b - a) / step) + 1 }, (_, i) => a + i * step);
const allHours = range(0, 23);

describe('periodicity', () => {
  it('tells continuous traffic from nightly jobs by the hours of the day', () => {
    expect(classifyPeriodicity({ days: range(0, 29), hoursOfDay: allHours, activeHours: 600 })).toBe('continuous');
    // business hours on weekdays only is still continuous traffic
    const weekdays = range(0, 29).filter((d) => d % 7 < 5);
    expect(classifyPeriodicity({ days: weekdays, hoursOfDay: range(8, 17), activeHours: 90 })).toBe('continuous');
    expect(classifyPeriodicity({ days: range(0, 29), hoursOfDay: [1, 2], activeHours: 60 })).toBe('daily');
    expect(classifyPeriodicity({ days: weekdays, hoursOfDay: [3], activeHours: 22 })).toBe('daily');
  });

  it('recognises weekly and monthly jobs from the gaps between active days', () => {
    expect(classifyPeriodicity({ days: range(3, 59, 7), hoursOfDay: [22], activeHours: 4 })).toBe('weekly');
    expect(classifyPeriodicity({ days: [4, 34], hoursOfDay: [2, 3], activeHours: 2 })).toBe('monthly');
    expect(classifyPeriodicity({ days: [9, 37], hoursOfDay: [2, 3], activeHours: 2 })).toBe('monthly');
    expect(classifyPeriodicity({ days: [2, 16, 30, 44], hoursOfDay: [5], activeHours: 2 })).toBe('weekly');
  });

  it('calls a single run, or a job across midnight, once', () => {
    expect(classifyPeriodicity({ days: [12], hoursOfDay: [10, 11], activeHours: 2 })).toBe('once');
    expect(classifyPeriodicity({ days: [12, 13], hoursOfDay: [23, 0], activeHours: 2 })).toBe('once');
    // a dependency that started a day ago and runs all day is continuous, not once
    expect(classifyPeriodicity({ days: [28, 29], hoursOfDay: allHours, activeHours: 40 })).toBe('continuous');
  });

  it('folds to the most regular', () => {
    expect(mostRegular('once', 'weekly')).toBe('weekly');
    expect(mostRegular('continuous', 'daily')).toBe('continuous');
  });
});
