/** Parsers for option values shared by several commands; a bad value is a usage error (exit 2). */
import { InvalidArgumentError } from 'commander';
import { parseInstant } from '../../domain/plain-date.ts';

export const port = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('must be a port number (0 picks a free one)');
  return n;
};

export const instant = (value: string) => {
  try {
    return parseInstant(value);
  } catch {
    throw new InvalidArgumentError(
      'must be an ISO date or instant, e.g. 2022-02-21 or 2022-02-21T09:00+08:00',
    );
  }
};
