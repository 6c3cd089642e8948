; Inno Setup script: a per-user Windows installer for Herald (no administrator rights needed).
; Build after PyInstaller (see docs/PACKAGING.md):
;   iscc /DAppVersion=0.1.0 /DSourceDir=..\..\dist\herald /DIconFile=..\..\build\icons\herald.ico packaging\windows\herald.iss
#ifndef AppVersion
  #error Pass /DAppVersion=<version from pyproject.toml>
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\herald"
#endif
#ifndef IconFile
  #define IconFile "..\..\build\icons\herald.ico"
#endif

[Setup]
AppId={{6B1E0C52-4D47-4B7E-9E55-2F0C7A1D9A31}
AppName=Herald
AppVersion={#AppVersion}
AppVerName=Herald {#AppVersion}
AppPublisher=Herald
DefaultDirName={localappdata}\Programs\Herald
DefaultGroupName=Herald
DisableProgramGroupPage=yes
; Per-user install: no UAC prompt, uninstall from Settings > Apps.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=Herald-{#AppVersion}-windows-x64-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\herald.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=auto

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[CustomMessages]
english.LaunchHerald=Launch Herald
chinesesimplified.LaunchHerald=启动 Herald
english.DesktopIcon=Create a desktop shortcut
chinesesimplified.DesktopIcon=创建桌面快捷方式

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIcon}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{userprograms}\Herald"; Filename: "{app}\herald.exe"
Name: "{userprograms}\{cm:UninstallProgram,Herald}"; Filename: "{uninstallexe}"
Name: "{userdesktop}\Herald"; Filename: "{app}\herald.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\herald.exe"; Description: "{cm:LaunchHerald}"; Flags: nowait postinstall skipifsilent
