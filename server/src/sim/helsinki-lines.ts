/**
 * The built-in network's lines: real HSL route ids, designations and headsigns; paths as sequences of
 * places (./helsinki-places.ts) approximating each route along the real streets. Direction 1 runs in
 * `via` order towards `headsigns[0]`; direction 2 runs back towards `headsigns[1]`.
 */
import type { NetworkMode } from './network.ts';

export interface LineDefinition {
  readonly routeId: string;
  readonly line: string;
  readonly mode: NetworkMode;
  readonly lineNumber: number;
  readonly operators: readonly string[];
  /** Share of the fleet: roughly the peak-hour frequency. */
  readonly weight: number;
  readonly headsigns: readonly [toLast: string, toFirst: string];
  readonly via: readonly string[];
}

const TRAM = ['0040'];
const MANN_NORTH = ['ylioppilastalo', 'lasipalatsi', 'kaivoW', 'postitalo', 'eduskunta', 'kansallismuseo'];
const MANN_TOOLO = ['hesperia', 'ooppera', 'toolonhalli', 'toolontulli'];
const KAISA_TO_HAKANIEMI = ['kaisaniemenkatu', 'kaisaniemi', 'unioninkatuN', 'pitkasilta', 'siltasaarenkatu', 'hakaniemi'];
const RT_TO_HAKANIEMI = ['rautatientori', 'vilhonkatu', 'kaisaniemi', 'unioninkatuN', 'pitkasilta', 'siltasaarenkatu', 'hakaniemi'];
const HAMEENTIE = ['haapaniemi', 'sornaistenTori', 'sornainen', 'vallilanKirjasto', 'paavalinKirkko'];
const TO_ARABIA = [...HAMEENTIE, 'kaironkatu', 'arabiankatu', 'arabianranta'];
const MAKELANKATU = ['kallionVirastotalo', 'kallionKirjasto', 'sturenkatu', 'rautalammintie', 'kumpula'];
const KALLIO_PASILA = ['kallionVirastotalo', 'kallionKirjasto', 'alppila', 'itaPasila', 'pasila'];
const ALEK_EAST = ['ylioppilastalo', 'alekKeskus', 'aleksanterinkatu', 'alekFabian', 'alekUnion', 'senaatintori'];
const ESPLA_EAST = ['svenska', 'esplaW', 'kolmikulma', 'esplaE', 'kauppatori'];
const TO_KATAJANOKKA = ['ritarihuone', 'vyokatu', 'katajanokka'];
const BULEVARDI_WEST = ['erottaja', 'bulevardiE', 'aleksanterinTeatteri', 'hietalahti'];

export const HELSINKI_LINES: readonly LineDefinition[] = [
  // Trams
  {
    routeId: '1001',
    line: '1',
    mode: 'tram',
    lineNumber: 1,
    operators: TRAM,
    weight: 2,
    headsigns: ['Käpylä', 'Eira'],
    via: ['eira', 'johanneksenKirkko', 'erottajankatu', 'erottaja', 'svenska', 'ylioppilastalo', 'lasipalatsi', 'kaivoW', 'kaivoAsema', 'kaivoE', ...KAISA_TO_HAKANIEMI, ...MAKELANKATU, 'velodromi', 'pohjolankatu', 'kapyla'],
  },
  {
    routeId: '1002',
    line: '2',
    mode: 'tram',
    lineNumber: 2,
    operators: TRAM,
    weight: 3,
    headsigns: ['Pasila', 'Olympiaterminaali'],
    via: ['olympia', 'etelaranta', 'kauppatori', 'esplaE', 'kolmikulma', 'esplaW', 'svenska', ...MANN_NORTH, 'hesperia', 'toolontori', 'ooppera', 'toolonhalli', 'itaPasila', 'pasila'],
  },
  {
    routeId: '1003',
    line: '3',
    mode: 'tram',
    lineNumber: 3,
    operators: TRAM,
    weight: 3,
    headsigns: ['Meilahti', 'Kaivopuisto'],
    via: ['kaivopuisto', 'olympia', 'etelaranta', 'kauppatori', 'senaatintori', 'alekUnion', 'alekFabian', 'aleksanterinkatu', 'alekKeskus', ...MANN_NORTH, ...MANN_TOOLO, 'meilahdentie'],
  },
  {
    routeId: '1004',
    line: '4',
    mode: 'tram',
    lineNumber: 4,
    operators: TRAM,
    weight: 4,
    headsigns: ['Munkkiniemi', 'Katajanokka'],
    via: [...[...TO_KATAJANOKKA].reverse(), 'kauppatori', 'senaatintori', 'alekUnion', 'alekFabian', 'aleksanterinkatu', 'alekKeskus', ...MANN_NORTH, ...MANN_TOOLO, 'meilahdenKirkko', 'munkkiniemi'],
  },
  {
    routeId: '1005',
    line: '5',
    mode: 'tram',
    lineNumber: 5,
    operators: TRAM,
    weight: 2,
    headsigns: ['Rautatieasema', 'Katajanokka'],
    via: [...[...TO_KATAJANOKKA].reverse(), 'kauppatori', 'senaatintori', 'alekUnion', 'alekFabian', 'aleksanterinkatu', 'kaivoE', 'kaivoAsema'],
  },
  {
    routeId: '1006',
    line: '6',
    mode: 'tram',
    lineNumber: 6,
    operators: TRAM,
    weight: 3,
    headsigns: ['Arabia', 'Hietalahdentori'],
    via: [...[...BULEVARDI_WEST].reverse(), 'svenska', ...ALEK_EAST.slice(0, 5), 'hallituskatu', 'unioninkatuKaisa', 'unioninkatuN', 'pitkasilta', 'siltasaarenkatu', 'hakaniemi', ...TO_ARABIA],
  },
  {
    routeId: '1006T',
    line: '6T',
    mode: 'tram',
    lineNumber: 61,
    operators: TRAM,
    weight: 1,
    headsigns: ['Arabia', 'Länsiterminaali T2'],
    via: ['lansiterminaali', 'hietalahti', 'aleksanterinTeatteri', 'bulevardiE', 'erottaja', 'svenska', ...ALEK_EAST.slice(0, 5), 'hallituskatu', 'unioninkatuKaisa', 'unioninkatuN', 'pitkasilta', 'siltasaarenkatu', 'hakaniemi', ...TO_ARABIA],
  },
  {
    routeId: '1007',
    line: '7',
    mode: 'tram',
    lineNumber: 7,
    operators: TRAM,
    weight: 3,
    headsigns: ['Länsiterminaali T2', 'Pasila'],
    via: [...[...KALLIO_PASILA].reverse(), 'hakaniemi', 'siltasaarenkatu', 'pitkasilta', 'unioninkatuN', 'kaisaniemi', 'kaisaniemenkatu', 'kaivoE', 'aleksanterinkatu', 'alekKeskus', 'ylioppilastalo', 'svenska', ...BULEVARDI_WEST, 'lansiterminaali'],
  },
  {
    routeId: '1008',
    line: '8',
    mode: 'tram',
    lineNumber: 8,
    operators: TRAM,
    weight: 2,
    headsigns: ['Arabia', 'Saukonpaasi'],
    via: ['saukonpaasi', 'ruoholahti', 'kamppi', 'arkadiankatu', 'toolontori', 'ooppera', 'toolonhalli', 'alppila', 'sturenkatu', 'vallilanKirjasto', 'paavalinKirkko', 'kaironkatu', 'arabiankatu', 'arabianranta'],
  },
  {
    routeId: '1009',
    line: '9',
    mode: 'tram',
    lineNumber: 9,
    operators: TRAM,
    weight: 3,
    headsigns: ['Saukonpaasi', 'Pasila'],
    via: [...[...KALLIO_PASILA].reverse(), 'hakaniemi', ...[...KAISA_TO_HAKANIEMI].reverse().slice(1), 'kaivoE', 'kaivoAsema', 'kaivoW', 'lasipalatsi', 'simonkatu', 'kamppi', 'ruoholahti', 'saukonpaasi'],
  },
  {
    routeId: '1010',
    line: '10',
    mode: 'tram',
    lineNumber: 10,
    operators: TRAM,
    weight: 3,
    headsigns: ['Pikku Huopalahti', 'Kirurgi'],
    via: ['kirurgi', 'johanneksenKirkko', 'erottajankatu', 'erottaja', 'svenska', ...MANN_NORTH, ...MANN_TOOLO, 'meilahdentie', 'ruskeasuo', 'pikkuHuopalahti'],
  },
  // Buses
  {
    routeId: '1018',
    line: '18',
    mode: 'bus',
    lineNumber: 118,
    operators: ['0022'],
    weight: 3,
    headsigns: ['Munkkivuori', 'Eira'],
    via: ['eira', 'johanneksenKirkko', 'aleksanterinTeatteri', 'kamppi', 'arkadiankatu', 'toolontori', 'meilahdenKirkko', 'munkkiniemi', 'munkkivuori'],
  },
  {
    routeId: '1020',
    line: '20',
    mode: 'bus',
    lineNumber: 120,
    operators: ['0022'],
    weight: 3,
    headsigns: ['Munkkivuori', 'Erottaja'],
    via: ['erottaja', 'bulevardiE', 'aleksanterinTeatteri', 'kamppi', 'arkadiankatu', 'toolontori', 'meilahdenKirkko', 'munkkivuori'],
  },
  {
    routeId: '1023',
    line: '23',
    mode: 'bus',
    lineNumber: 123,
    operators: ['0012'],
    weight: 2,
    headsigns: ['Ruskeasuo', 'Rautatientori'],
    via: ['rautatientori', 'kaivoE', 'kaivoAsema', 'kaivoW', 'postitalo', 'eduskunta', 'kansallismuseo', ...MANN_TOOLO, 'meilahdentie', 'ruskeasuo'],
  },
  {
    routeId: '1024',
    line: '24',
    mode: 'bus',
    lineNumber: 124,
    operators: ['0012'],
    weight: 2,
    headsigns: ['Seurasaari', 'Erottaja'],
    via: ['erottaja', 'svenska', 'ylioppilastalo', 'lasipalatsi', 'kaivoW', 'postitalo', 'eduskunta', 'arkadiankatu', 'toolontori', 'seurasaari'],
  },
  {
    routeId: '1039',
    line: '39',
    mode: 'bus',
    lineNumber: 139,
    operators: ['0022'],
    weight: 3,
    headsigns: ['Malminkartano', 'Kamppi'],
    via: ['kamppi', 'arkadiankatu', 'toolontori', 'meilahdenKirkko', 'huopalahti', 'pohjoisHaaga', 'kannelmaki', 'malminkartano'],
  },
  {
    routeId: '1040',
    line: '40',
    mode: 'bus',
    lineNumber: 140,
    operators: ['0022'],
    weight: 2,
    headsigns: ['Pohjois-Haaga', 'Elielinaukio'],
    via: ['elielinaukio', 'postitalo', 'eduskunta', 'kansallismuseo', ...MANN_TOOLO, 'meilahdentie', 'ruskeasuo', 'huopalahti', 'pohjoisHaaga'],
  },
  {
    routeId: '1055',
    line: '55',
    mode: 'bus',
    lineNumber: 155,
    operators: ['0018'],
    weight: 2,
    headsigns: ['Koskela', 'Rautatientori'],
    via: [...RT_TO_HAKANIEMI, ...HAMEENTIE, 'kaironkatu', 'koskela'],
  },
  {
    routeId: '1064',
    line: '64',
    mode: 'bus',
    lineNumber: 80,
    operators: ['0018'],
    weight: 3,
    headsigns: ['Itä-Pakila', 'Rautatientori'],
    via: [...RT_TO_HAKANIEMI, ...MAKELANKATU, 'velodromi', 'pohjolankatu', 'oulunkyla', 'pakilantie', 'itaPakila'],
  },
  {
    routeId: '1065',
    line: '65',
    mode: 'bus',
    lineNumber: 850,
    operators: ['0018'],
    weight: 3,
    headsigns: ['Veräjälaakso', 'Rautatientori'],
    via: [...RT_TO_HAKANIEMI, ...MAKELANKATU, 'velodromi', 'pohjolankatu', 'oulunkyla', 'verajalaakso'],
  },
  {
    routeId: '1066',
    line: '66',
    mode: 'bus',
    lineNumber: 166,
    operators: ['0018'],
    weight: 2,
    headsigns: ['Paloheinä', 'Rautatientori'],
    via: [...RT_TO_HAKANIEMI, ...MAKELANKATU, 'velodromi', 'pohjolankatu', 'kapyla', 'pakilantie', 'paloheina'],
  },
  {
    routeId: '1071',
    line: '71',
    mode: 'bus',
    lineNumber: 171,
    operators: ['0012'],
    weight: 2,
    headsigns: ['Malmin asema', 'Rautatientori'],
    via: [...RT_TO_HAKANIEMI, ...HAMEENTIE, 'kaironkatu', 'koskela', 'viikki', 'malmi'],
  },
  {
    routeId: '1078',
    line: '78',
    mode: 'bus',
    lineNumber: 178,
    operators: ['0012'],
    weight: 2,
    headsigns: ['Tapanila', 'Rautatientori'],
    via: [...RT_TO_HAKANIEMI, ...HAMEENTIE, 'kaironkatu', 'koskela', 'pukinmaki', 'tapanila'],
  },
  {
    routeId: '1016',
    line: '16',
    mode: 'bus',
    lineNumber: 116,
    operators: ['0030'],
    weight: 1,
    headsigns: ['Kalasatama', 'Rautatientori'],
    via: [...RT_TO_HAKANIEMI, 'haapaniemi', 'sornaistenTori', 'sornainen', 'kalasatama'],
  },
  {
    routeId: '1500',
    line: '500',
    mode: 'bus',
    lineNumber: 500,
    operators: ['0022', '0012'],
    weight: 5,
    headsigns: ['Itäkeskus', 'Munkkivuori'],
    via: ['munkkivuori', 'huopalahti', 'ruskeasuo', 'pasila', 'itaPasila', 'alppila', 'sturenkatu', 'vallilanKirjasto', 'kalasatama', 'kulosaari', 'herttoniemi', 'itakeskus'],
  },
  {
    routeId: '2510',
    line: '510',
    mode: 'bus',
    lineNumber: 510,
    operators: ['0022'],
    weight: 4,
    headsigns: ['Martinlaakso', 'Herttoniemi'],
    via: ['herttoniemi', 'viikki', 'pukinmaki', 'oulunkyla', 'paloheina', 'kannelmaki', 'myyrmaki', 'martinlaakso'],
  },
  {
    routeId: '4560',
    line: '560',
    mode: 'bus',
    lineNumber: 560,
    operators: ['0017'],
    weight: 3,
    headsigns: ['Myyrmäki', 'Rastila'],
    via: ['rastila', 'itakeskus', 'viikki', 'malmi', 'pukinmaki', 'paloheina', 'kannelmaki', 'myyrmaki'],
  },
];
