/**
 * Named points of the built-in network in north and east Helsinki and in central and east Vantaa,
 * [lat, lon, name | null], authored by hand (not taken from any dataset) for ./helsinki-lines-east.ts:
 * local centres, stations, terminals and the junctions of the roads between them (Lahdenväylä,
 * Tuusulanväylä, Kehä III, Vuosaarentie). Coarse like ./helsinki-places-outer.ts: a point every
 * kilometre or so.
 */
export const EAST_PLACES: Readonly<Record<string, readonly [lat: number, lon: number, name: string | null]>> =
  {
    // North-east Helsinki: Malmi, Tapaninkylä, Puistola, Jakomäki
    tapaninkyla: [60.2625, 25.0195, 'Tapaninkylä'],
    toyrynummi: [60.2815, 25.0125, 'Töyrynummi'],
    tattariharju: [60.256, 25.042, 'Tattariharju'],
    heikinlaakso: [60.268, 25.056, 'Heikinlaakso'],
    suurmetsa: [60.264, 25.07, 'Suurmetsä'],
    alppikyla: [60.259, 25.076, 'Alppikylä'],
    malminSairaala: [60.247, 25.0165, 'Malmin sairaala'],
    // North Helsinki: Pakila, Oulunkylä, Pasila
    pirkkola: [60.2345, 24.9305, 'Pirkkola'],
    lansiPakila: [60.2445, 24.9395, 'Länsi-Pakila'],
    patola: [60.237, 24.972, 'Patola'],
    verajamaki: [60.2325, 24.9815, 'Veräjämäki'],
    vanhakaupunki: [60.2158, 24.9835, null],
    viikintie: [60.2205, 24.9975, null],
    // East Helsinki: Herttoniemi, Laajasalo, Vartiokylä, Vuosaari
    jollas: [60.1705, 25.07, 'Jollas'],
    vartioharju: [60.2175, 25.115, 'Vartioharju'],
    kehaIMellunmaki: [60.23, 25.123, null],
    mustavuori: [60.2285, 25.1465, 'Mustavuori'],
    keskiVuosaari: [60.2155, 25.1435, 'Keski-Vuosaari'],
    // Lahdenväylä, Malmi airfield to Kehä III
    lahdenvaylaViikki: [60.2425, 25.029, null],
    lahdenvaylaMalmi: [60.2545, 25.062, null],
    lahdenvaylaKehaIII: [60.287, 25.088, null],
    // Central Vantaa: Tikkurila to Korso, Hakunila, Sotunki
    viertola: [60.285, 25.033, 'Viertola'],
    mikkola: [60.3135, 25.0755, 'Mikkola'],
    rekola: [60.3345, 25.069, 'Rekolan asema'],
    nikinmaki: [60.3305, 25.1185, 'Nikinmäki'],
    havukoski: [60.301, 25.077, 'Havukoski'],
    rajakyla: [60.2995, 25.102, 'Rajakylä'],
    kuninkaala: [60.28, 25.127, 'Kuninkaala'],
    sotunki: [60.2935, 25.144, 'Sotunki'],
    leinela: [60.311, 25.028, 'Leinelän asema'],
    ylasto: [60.3, 25.008, 'Ylästö'],
    // Tuusulanväylä and Kehä III: Jumbo, Kartanonkoski, Ruskeasanta, Pakkala
    jumbo: [60.292, 24.962, 'Jumbo'],
    pakkala: [60.2985, 24.976, 'Pakkala'],
    kartanonkoski: [60.294, 24.939, 'Kartanonkoski'],
    ruskeasanta: [60.3075, 24.93, 'Ruskeasanta'],
    veromies: [60.311, 24.956, 'Veromies'],
    // West-central Vantaa: Vapaala, Pähkinärinne, Petikko, Vestra
    rajatorppa: [60.2745, 24.879, 'Rajatorppa'],
    vapaala: [60.279, 24.89, 'Vapaala'],
    pahkinarinne: [60.2655, 24.8935, 'Pähkinärinne'],
    petikko: [60.2955, 24.862, 'Petikko'],
    vestra: [60.2985, 24.8365, 'Vestra'],
    kehaIIIHameenlinna: [60.3, 24.856, null],
    vehkala: [60.303, 24.896, 'Vehkala'],
  };

/** The places above that are in Vantaa: HSL numbers their stops 4xxxxxx (the rest are Helsinki, 1xxxxxx). */
export const EAST_VANTAA_PLACES: ReadonlySet<string> = new Set([
  'viertola',
  'mikkola',
  'rekola',
  'nikinmaki',
  'havukoski',
  'rajakyla',
  'kuninkaala',
  'sotunki',
  'leinela',
  'ylasto',
  'jumbo',
  'pakkala',
  'kartanonkoski',
  'ruskeasanta',
  'veromies',
  'rajatorppa',
  'vapaala',
  'pahkinarinne',
  'petikko',
  'vestra',
  'kehaIIIHameenlinna',
  'vehkala',
  'lahdenvaylaKehaIII',
]);
