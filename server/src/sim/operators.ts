/**
 * HSL operator ids (HFP `oper`, four digits) of the companies running the built-in network's lines. A
 * line lists the operators whose vehicles it draws; several mean vehicles are shared out among them.
 */
export const TRAM = ['0040'];
export const HELB = ['0012'];
export const TAMMELUND = ['0017'];
export const PKL = ['0018'];
export const NOBINA = ['0022'];
export const SAVONLINJA = ['0030'];
export const TRANSDEV_VANTAA = ['0045'];
export const TRANSDEV = ['0055'];
