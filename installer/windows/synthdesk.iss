; Inno Setup script: a per-user install of the one-folder build (no administrator rights).
; Build dist\synthdesk with PyInstaller first (installer\synthdesk.spec), then:
;   iscc /DVersion=0.1.0 installer\windows\synthdesk.iss
#ifndef Version
  #define Version "0.1.0"
#endif

[Setup]
AppId={{6E2B7F0A-4C1D-4B8E-9E43-5A0C2D7B9F11}
AppName=SynthDesk
AppVersion={#Version}
AppPublisher=SynthDesk
DefaultDirName={localappdata}\Programs\SynthDesk
DefaultGroupName=SynthDesk
PrivilegesRequired=lowest
OutputDir=..\..\dist
OutputBaseFilename=SynthDesk-{#Version}-setup
Compression=lzma2/max
SolidCompression=yes
ArchitecturesInstallIn64BitMode=x64compatible
LicenseFile=..\..\dist\synthdesk\THIRD_PARTY_LICENSES.txt
UninstallDisplayName=SynthDesk

[Files]
Source: "..\..\dist\synthdesk\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\SynthDesk"; Filename: "{app}\SynthDeskApp.exe"
Name: "{group}\Uninstall SynthDesk"; Filename: "{uninstallexe}"

[Run]
Filename: "{app}\SynthDeskApp.exe"; Description: "Open SynthDesk"; Flags: nowait postinstall skipifsilent
