; Windows installer of the one-folder bundle (Inno Setup 6.5 or newer, which
; ships the Simplified Chinese messages; see packaging/README.md for the build
; procedure). A per-user install, no administrator rights: the program goes to
; %LOCALAPPDATA%\Programs\StationApp, the station's data stay in the user's
; data folder (%LOCALAPPDATA%\garze-relief\station-app), which neither an
; update nor the uninstaller touches. Compile from this folder:
;     iscc /DAppVersion=0.1.0 station-app.iss
#ifndef AppVersion
  #error Pass the version of pyproject.toml: iscc /DAppVersion=X.Y.Z station-app.iss
#endif

[Setup]
; One id for every release: a newer installer updates the installed program.
AppId={{6F0D7B62-2C1E-4E47-9B39-5A7F4C3D2E18}
AppName=救助管理站
AppVerName=救助管理站 {#AppVersion}
AppVersion={#AppVersion}
AppPublisher=Station app developers
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\StationApp
DefaultGroupName=救助管理站
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=station-app-{#AppVersion}-setup
SetupIconFile=..\..\build\icons\station-app.ico
UninstallDisplayIcon={app}\StationApp.exe
UninstallDisplayName=救助管理站 Relief Station
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; the program is closed before it is replaced (an update while it runs)
CloseApplications=yes

[Languages]
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; An update replaces the program's files whole: nothing of an older release
; stays beside the new one (the station's data are not here).
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "..\..\dist\station-app\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
; The start menu and the desktop in Chinese and in Tibetan.
Name: "{userprograms}\救助管理站"; Filename: "{app}\StationApp.exe"; Comment: "救助管理站求助登记、街面巡查与物资台账"
Name: "{userprograms}\སྐྱབས་སྐྱོར་དོ་དམ་ས་ཚིགས།"; Filename: "{app}\StationApp.exe"; Comment: "Relief Station"
Name: "{userdesktop}\救助管理站"; Filename: "{app}\StationApp.exe"; Tasks: desktopicon
Name: "{userdesktop}\སྐྱབས་སྐྱོར་དོ་དམ་ས་ཚིགས།"; Filename: "{app}\StationApp.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\StationApp.exe"; Description: "{cm:LaunchProgram,救助管理站}"; Flags: nowait postinstall skipifsilent
