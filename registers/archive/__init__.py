"""Archive packages (REQ-ARCH-02): a municipality's published record of one term as an E-ARK
SIP following FGS Paketstruktur 2.0. `package.build_package` writes it, `validation` checks it,
`records` decides what goes in."""
