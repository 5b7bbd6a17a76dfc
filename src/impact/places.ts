import type { Place } from './model.ts';

// How a group is named in every table: by code and name, an LPA by name and id (names repeat).
export function placeOf(places: ReadonlyMap<string, Place>, lpaId: string): Place {
  const place = places.get(lpaId);
  if (place === undefined) throw new Error(`LPA ${lpaId} of the snapshot has no place`);
  return place;
}

export const provinceLabel = (place: Place) => `${place.provinceCode} ${place.provinceName}`;
export const regencyLabel = (place: Place) => `${place.regencyCode} ${place.regencyName}`;
export const lpaLabel = (place: Place) => `${place.lpaName} [${place.lpaId}]`;
