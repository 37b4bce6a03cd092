<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name></name>
    <message>
        <location filename="../ui/navigation.py" line="+33"/>
        <source>Ready · %1</source>
        <translation>Bereit · %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Ready</source>
        <translation>Bereit</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ready (direct calls, no registration)</source>
        <translation>Bereit (Direktanrufe, ohne Registrierung)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connecting to your phone system…</source>
        <translation>Verbindung mit Ihrer Telefonanlage…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reconnecting…</source>
        <translation>Verbindung wird wiederhergestellt…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not connected: %1</source>
        <translation>Nicht verbunden: %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>the phone system did not answer</source>
        <translation>die Telefonanlage hat nicht geantwortet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not connected</source>
        <translation>Nicht verbunden</translation>
    </message>
    <message>
        <location filename="../ui/models.py" line="+109"/>
        <source>LDAP</source>
        <translation>LDAP</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Directory</source>
        <translation>Verzeichnis</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PBX</source>
        <translation>Telefonanlage</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Personal</source>
        <translation>Persönlich</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Address book</source>
        <translation>Adressbuch</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Favorite</source>
        <translation>Favorit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>History</source>
        <translation>Anrufliste</translation>
    </message>
    <message>
        <location line="+100"/>
        <source>Missed call</source>
        <translation>Verpasster Anruf</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Incoming</source>
        <translation>Eingehend</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Outgoing</source>
        <translation>Ausgehend</translation>
    </message>
    <message>
        <location filename="../ui/lamps.py" line="+37"/>
        <source>Idle</source>
        <translation>Frei</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ringing</source>
        <translation>Klingelt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In a call</source>
        <translation>Im Gespräch</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>On hold</source>
        <translation>Gehalten</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../ui/status_menu.py" line="+26"/>
        <source>Away</source>
        <translation>Abwesend</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../ui/status_menu.py" line="+1"/>
        <source>Do not disturb</source>
        <translation>Nicht stören</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Offline or not registered</source>
        <translation>Offline oder nicht registriert</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../ui/models.py" line="+1"/>
        <source>Unknown</source>
        <translation>Unbekannt</translation>
    </message>
    <message>
        <location filename="../ui/models.py" line="+21"/>
        <source>Unknown caller</source>
        <translation>Unbekannter Anrufer</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Urgent · %1</source>
        <translation>Dringend · %1</translation>
    </message>
    <message>
        <location filename="../ui/refused_calls.py" line="+32"/>
        <source>refused: the caller&apos;s phone does not encrypt audio</source>
        <translation>abgewiesen: Das Telefon des Anrufers verschlüsselt den Ton nicht</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>refused while do-not-disturb was on</source>
        <translation>abgewiesen, weil „Nicht stören“ aktiv war</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>refused: not from your phone system</source>
        <translation>abgewiesen: kommt nicht von Ihrer Telefonanlage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>refused: too many calls</source>
        <translation>abgewiesen: zu viele Anrufe</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Missed call from %1 at %2 — %3</source>
        <translation>Verpasster Anruf von %1 um %2 – %3</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Refused calls</source>
        <translation>Abgewiesene Anrufe</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Dismiss all</source>
        <translation>Alle ausblenden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dismiss every refused-call notice</source>
        <translation>Alle Hinweise zu abgewiesenen Anrufen ausblenden</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Refused call</source>
        <translation>Abgewiesener Anruf</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Dismiss</source>
        <translation>Ausblenden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dismiss this notice</source>
        <translation>Diesen Hinweis ausblenden</translation>
    </message>
    <message>
        <location filename="../ui/personal_contacts.py" line="+49"/>
        <source>%1 is too large to import (%2 MB; at most %3 MB).</source>
        <translation>%1 ist zu groß für den Import (%2 MB; höchstens %3 MB).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 could not be read: %2</source>
        <translation>%1 konnte nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 is not UTF-8 text (byte %2): save it as “CSV UTF-8” and try again.</source>
        <translation>%1 ist kein UTF-8-Text (Byte %2): Speichern Sie die Datei als „CSV UTF-8“ und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 is empty.</source>
        <translation>%1 ist leer.</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Delete the contact</source>
        <translation>Kontakt löschen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete %1 from your personal contacts? Every device you sign in on loses it too.</source>
        <translation>%1 aus Ihren persönlichen Kontakten löschen? Der Kontakt verschwindet auch von allen Geräten, an denen Sie sich anmelden.</translation>
    </message>
    <message>
        <location filename="../ui/status_menu.py" line="-1"/>
        <source>Available</source>
        <translation>Verfügbar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Invisible</source>
        <translation>Unsichtbar</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Calls ring; colleagues see you as available.</source>
        <translation>Anrufe klingeln; Kollegen sehen Sie als verfügbar.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Calls still ring; colleagues see you as away.</source>
        <translation>Anrufe klingeln weiterhin; Kollegen sehen Sie als abwesend.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Incoming calls are refused as busy, on every device of yours.</source>
        <translation>Eingehende Anrufe werden auf allen Ihren Geräten als „besetzt“ abgewiesen.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Incoming calls are refused as busy (in this app only: no phone system keeps your status).</source>
        <translation>Eingehende Anrufe werden als „besetzt“ abgewiesen (nur in dieser App: Keine Telefonanlage speichert Ihren Status).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Calls still ring; colleagues see you as offline.</source>
        <translation>Anrufe klingeln weiterhin; Kollegen sehen Sie als offline.</translation>
    </message>
    <message>
        <location line="+86"/>
        <source>kept on your phone system</source>
        <translation>in Ihrer Telefonanlage gespeichert</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>this app only</source>
        <translation>nur in dieser App</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>My status: %1 (%2). %3</source>
        <translation>Mein Status: %1 (%2). %3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>My status: %1</source>
        <translation>Mein Status: %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../ui/caller_names.py" line="+175"/>
        <source>Call %1</source>
        <translation>%1 anrufen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Add to favorites</source>
        <translation>Zu Favoriten hinzufügen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add to contacts…</source>
        <translation>Zu Kontakten hinzufügen…</translation>
    </message>
</context>
<context>
    <name>AboutPage</name>
    <message>
        <location filename="../ui/settings/about_page.py" line="+35"/>
        <source>Diagnostics</source>
        <translation>Diagnose</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Copy diagnostics</source>
        <translation>Diagnose kopieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy diagnostics to the clipboard</source>
        <translation>Diagnose in die Zwischenablage kopieren</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export log bundle…</source>
        <translation>Protokollpaket exportieren…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export the redacted logs and diagnostics to a zip file</source>
        <translation>Bereinigte Protokolle und Diagnose als ZIP-Datei exportieren</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Main components and their licences</source>
        <translation>Wichtigste Komponenten und ihre Lizenzen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Licensed under %1. Built on:</source>
        <translation>Lizenziert unter %1. Basiert auf:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Third-party notices…</source>
        <translation>Hinweise zu Drittanbietern…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show the licences of every component CallClient ships</source>
        <translation>Lizenzen aller mit CallClient ausgelieferten Komponenten anzeigen</translation>
    </message>
    <message>
        <location line="+17"/>
        <location line="+5"/>
        <location line="+12"/>
        <source>Third-party notices</source>
        <translation>Hinweise zu Drittanbietern</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Export log bundle</source>
        <translation>Protokollpaket exportieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Zip archives (*.zip)</source>
        <translation>ZIP-Archive (*.zip)</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+2"/>
        <source>Log bundle</source>
        <translation>Protokollpaket</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Saved to %1</source>
        <translation>Gespeichert unter %1</translation>
    </message>
</context>
<context>
    <name>AccountsPage</name>
    <message>
        <location filename="../ui/settings/accounts_page.py" line="+21"/>
        <source>Accounts</source>
        <translation>Konten</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Your accounts</source>
        <translation>Ihre Konten</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sign out</source>
        <translation>Abmelden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sign out of your phone system</source>
        <translation>Von Ihrer Telefonanlage abmelden</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>No account yet: sign in or set up a SIP account.</source>
        <translation>Noch kein Konto: Melden Sie sich an oder richten Sie ein SIP-Konto ein.</translation>
    </message>
</context>
<context>
    <name>AddContactDialog</name>
    <message>
        <location filename="../ui/add_contact.py" line="+29"/>
        <source>Add to contacts</source>
        <translation>Zu Kontakten hinzufügen</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>First name</source>
        <translation>Vorname</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Last name</source>
        <translation>Nachname</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Number</source>
        <translation>Nummer</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Mobile</source>
        <translation>Mobil</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Email</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Company</source>
        <translation>Firma</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Kept with your personal contacts on your phone system, so every device you sign in on shows this name.</source>
        <translation>Wird mit Ihren persönlichen Kontakten in Ihrer Telefonanlage gespeichert, sodass jedes Gerät, an dem Sie sich anmelden, diesen Namen anzeigt.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Save the contact</source>
        <translation>Kontakt speichern</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>A contact needs a name and a number.</source>
        <translation>Ein Kontakt braucht einen Namen und eine Nummer.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Contacts are not available here.</source>
        <translation>Kontakte sind hier nicht verfügbar.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Could not save the contact: %1</source>
        <translation>Kontakt konnte nicht gespeichert werden: %1</translation>
    </message>
</context>
<context>
    <name>AddressBookConsentDialog</name>
    <message>
        <location filename="../ui/address_book_consent.py" line="+17"/>
        <source>Use your address book?</source>
        <translation>Ihr Adressbuch verwenden?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Let CallClient read your address book?</source>
        <translation>Darf CallClient Ihr Adressbuch lesen?</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>CallClient can read the contacts in your own address book (vCard files or a CardDAV account such as Nextcloud, iCloud or Google) for two things only:

• to show who is calling when a number is in your address book;
• to find people quickly when you type a name in the search box.

The cards are kept encrypted on this computer, never sent to your phone system and never written to the logs. You can turn this off at any time in Settings → Directory; the copy is then removed.</source>
        <translation>CallClient kann die Kontakte in Ihrem eigenen Adressbuch (vCard-Dateien oder ein CardDAV-Konto wie Nextcloud, iCloud oder Google) für genau zwei Dinge lesen:

• um anzuzeigen, wer anruft, wenn die Nummer in Ihrem Adressbuch steht;
• um Personen schnell zu finden, wenn Sie einen Namen in das Suchfeld eingeben.

Die Karten werden verschlüsselt auf diesem Computer gespeichert, nie an Ihre Telefonanlage gesendet und nie in die Protokolle geschrieben. Sie können dies jederzeit unter Einstellungen → Verzeichnis ausschalten; die Kopie wird dann entfernt.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Allow</source>
        <translation>Erlauben</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Allow CallClient to read my address book</source>
        <translation>CallClient erlauben, mein Adressbuch zu lesen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not now</source>
        <translation>Nicht jetzt</translation>
    </message>
</context>
<context>
    <name>AudioPage</name>
    <message>
        <location filename="../ui/settings/audio_page.py" line="+29"/>
        <source>System default</source>
        <translation>Systemstandard</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Microphone</source>
        <translation>Mikrofon</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Speaker</source>
        <translation>Lautsprecher</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ringtone plays on</source>
        <translation>Klingelton über</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The speaker above</source>
        <translation>Der Lautsprecher oben</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Echo cancellation</source>
        <translation>Echounterdrückung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Noise suppression</source>
        <translation>Rauschunterdrückung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Automatic gain control</source>
        <translation>Automatische Pegelanpassung</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Test speaker</source>
        <translation>Lautsprecher testen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Play a test sound on the speaker</source>
        <translation>Testton über den Lautsprecher abspielen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Test microphone</source>
        <translation>Mikrofon testen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show the microphone level</source>
        <translation>Mikrofonpegel anzeigen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Microphone level</source>
        <translation>Mikrofonpegel</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Try them</source>
        <translation>Ausprobieren</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>System default follows the desktop&apos;s choice. A device chosen here is used whenever it is connected; while it is away the system default stands in, and calls move back when it returns.</source>
        <translation>„Systemstandard“ folgt der Wahl des Desktops. Ein hier gewähltes Gerät wird verwendet, sobald es angeschlossen ist; solange es fehlt, springt der Systemstandard ein, und Anrufe wechseln zurück, sobald es wieder da ist.</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+80"/>
        <source>Calls use no sound device in this session.</source>
        <translation>Anrufe verwenden in dieser Sitzung kein Audiogerät.</translation>
    </message>
    <message>
        <location line="-60"/>
        <source>%1 (not connected)</source>
        <translation>%1 (nicht angeschlossen)</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Playing a test sound on %1.</source>
        <translation>Testton wird über %1 abgespielt.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the system default</source>
        <translation>das Standardgerät des Systems</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Could not play on this speaker: %1</source>
        <translation>Wiedergabe über diesen Lautsprecher nicht möglich: %1</translation>
    </message>
</context>
<context>
    <name>CallView</name>
    <message>
        <location filename="../ui/call_view.py" line="+77"/>
        <source>Other numbers</source>
        <translation>Weitere Nummern</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Call another number of this contact</source>
        <translation>Eine andere Nummer dieses Kontakts anrufen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Call status</source>
        <translation>Anrufstatus</translation>
    </message>
    <message>
        <location filename="../ui/call_quality.py" line="+27"/>
        <source>Call quality</source>
        <translation>Anrufqualität</translation>
    </message>
    <message>
        <location filename="../ui/call_view.py" line="+4"/>
        <source>Mute</source>
        <translation>Stumm</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Mute the microphone (Ctrl+M)</source>
        <translation>Mikrofon stummschalten (Strg+M)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Hold</source>
        <translation>Halten</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Put the call on hold (Ctrl+H)</source>
        <translation>Anruf halten (Strg+H)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Keypad</source>
        <translation>Tastenfeld</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Send tones (DTMF)</source>
        <translation>Töne senden (DTMF)</translation>
    </message>
    <message>
        <location filename="../ui/call_transfer.py" line="+53"/>
        <location filename="../ui/call_view.py" line="+2"/>
        <source>Transfer</source>
        <translation>Übergeben</translation>
    </message>
    <message>
        <location filename="../ui/call_view.py" line="+0"/>
        <source>Transfer the call (Ctrl+T)</source>
        <translation>Anruf übergeben (Strg+T)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Add call</source>
        <translation>Anruf hinzufügen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Hold this call and call someone else</source>
        <translation>Diesen Anruf halten und jemand anderen anrufen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Merge</source>
        <translation>Zusammenführen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Join all calls in a conference</source>
        <translation>Alle Anrufe zu einer Konferenz zusammenführen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Audio</source>
        <translation>Audio</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Switch microphone or speaker</source>
        <translation>Mikrofon oder Lautsprecher wechseln</translation>
    </message>
    <message>
        <location filename="../ui/call_recording.py" line="+86"/>
        <location filename="../ui/call_view.py" line="+6"/>
        <source>Record</source>
        <translation>Aufnehmen</translation>
    </message>
    <message>
        <location filename="../ui/call_view.py" line="+1"/>
        <source>Record this call (both sides, kept encrypted on this computer)</source>
        <translation>Diesen Anruf aufnehmen (beide Seiten, verschlüsselt auf diesem Computer gespeichert)</translation>
    </message>
    <message>
        <location filename="../ui/call_audio.py" line="+72"/>
        <source>Microphone level</source>
        <translation>Mikrofonpegel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Speaker level</source>
        <translation>Lautsprecherpegel</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mic</source>
        <translation>Mikro</translation>
    </message>
    <message>
        <location line="-32"/>
        <location line="+33"/>
        <source>Speaker</source>
        <translation>Lautsprecher</translation>
    </message>
    <message>
        <location filename="../ui/call_view.py" line="+15"/>
        <location line="+2"/>
        <source>Tones sent</source>
        <translation>Gesendete Töne</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Hang up (Ctrl+E)</source>
        <translation>Auflegen (Strg+E)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hang up</source>
        <translation>Auflegen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Other calls</source>
        <translation>Weitere Anrufe</translation>
    </message>
    <message>
        <location line="+78"/>
        <source>Connected</source>
        <translation>Verbunden</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+36"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location line="-30"/>
        <source>Call ended</source>
        <translation>Anruf beendet</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Could not hang up</source>
        <translation>Auflegen nicht möglich</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Could not change mute</source>
        <translation>Stummschaltung konnte nicht geändert werden</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Could not change hold</source>
        <translation>Halten konnte nicht geändert werden</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Could not send the tone</source>
        <translation>Ton konnte nicht gesendet werden</translation>
    </message>
    <message>
        <location filename="../ui/call_transfer.py" line="-20"/>
        <source>Transfer to a number…</source>
        <translation>An eine Nummer übergeben…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Park</source>
        <translation>Parken</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Park the call on the phone system (%1); pick it up from any phone</source>
        <translation>Anruf in der Telefonanlage parken (%1); von jedem Telefon aus zurückholen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Transfer to %1 (attended)</source>
        <translation>An %1 übergeben (mit Rückfrage)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Transfer this call to:</source>
        <translation>Diesen Anruf übergeben an:</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+5"/>
        <source>Transfer failed</source>
        <translation>Übergabe fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../ui/call_view.py" line="+5"/>
        <source>Could not hold the call</source>
        <translation>Anruf konnte nicht gehalten werden</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Could not merge the calls</source>
        <translation>Anrufe konnten nicht zusammengeführt werden</translation>
    </message>
    <message>
        <location filename="../ui/call_recording.py" line="-35"/>
        <source>Starting the recording…</source>
        <translation>Aufnahme wird gestartet…</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Could not record the call: %1</source>
        <translation>Anruf konnte nicht aufgenommen werden: %1</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Stop recording</source>
        <translation>Aufnahme beenden</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>● Recording · %1</source>
        <translation>● Aufnahme · %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recording this call, %1</source>
        <translation>Dieser Anruf wird aufgenommen, %1</translation>
    </message>
    <message>
        <location filename="../ui/call_audio.py" line="-42"/>
        <source>No sound device in use</source>
        <translation>Kein Audiogerät in Verwendung</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Looking for devices…</source>
        <translation>Geräte werden gesucht…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Microphone</source>
        <translation>Mikrofon</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Could not switch the device: %1</source>
        <translation>Gerät konnte nicht gewechselt werden: %1</translation>
    </message>
    <message>
        <location filename="../ui/call_quality.py" line="+22"/>
        <source>Excellent</source>
        <translation>ausgezeichnet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Good</source>
        <translation>gut</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Fair</source>
        <translation>mittel</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Poor</source>
        <translation>schlecht</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 quality · %2 · jitter %3 ms · loss %4 % · RTT %5 ms</source>
        <translation>Qualität: %1 · %2 · Jitter %3 ms · Verlust %4 % · RTT %5 ms</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Estimated MOS %1</source>
        <translation>Geschätzter MOS %1</translation>
    </message>
    <message>
        <location filename="../ui/call_view.py" line="+20"/>
        <source>Unlock CallClient to see who is on the line</source>
        <translation>Entsperren Sie CallClient, um zu sehen, wer am Apparat ist</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Call %1</source>
        <translation>%1 anrufen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>another call</source>
        <translation>ein anderer Anruf</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Calling…</source>
        <translation>Wird angerufen…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ringing…</source>
        <translation>Klingelt…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>On hold · %1</source>
        <translation>Gehalten · %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Held by the other party · %1</source>
        <translation>Von der Gegenseite gehalten · %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Muted · %1</source>
        <translation>Stumm · %1</translation>
    </message>
</context>
<context>
    <name>CallsPage</name>
    <message>
        <location filename="../ui/settings/calls_page.py" line="+17"/>
        <location line="+48"/>
        <source>Like the system</source>
        <translation>Wie das System</translation>
    </message>
    <message>
        <location line="-47"/>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+11"/>
        <source>Codecs, in order of preference</source>
        <translation>Codecs in bevorzugter Reihenfolge</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>Drag to reorder; untick to stop offering a codec</source>
        <translation>Zum Umsortieren ziehen; Haken entfernen, um einen Codec nicht mehr anzubieten</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>not set (for example FR or US)</source>
        <translation>nicht festgelegt (zum Beispiel DE oder AT)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Phone number region</source>
        <translation>Rufnummernregion</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Outside-line prefix</source>
        <translation>Amtsholung</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Emergency numbers (always dialled as typed)</source>
        <translation>Notrufnummern (immer wie eingegeben gewählt)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Keep running in the tray when the window closes</source>
        <translation>Beim Schließen des Fensters im Infobereich weiterlaufen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Window</source>
        <translation>Fenster</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Appearance</source>
        <translation>Darstellung</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Open windows keep their words until CallClient starts again</source>
        <translation>Geöffnete Fenster behalten ihre Sprache bis zum nächsten Start von CallClient</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Codecs</source>
        <translation>Codecs</translation>
    </message>
</context>
<context>
    <name>ContactsView</name>
    <message>
        <location filename="../ui/contacts_view.py" line="+79"/>
        <location line="+29"/>
        <location line="+31"/>
        <source>Contacts</source>
        <translation>Kontakte</translation>
    </message>
    <message>
        <location line="-57"/>
        <source>New contact…</source>
        <translation>Neuer Kontakt…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add a personal contact</source>
        <translation>Persönlichen Kontakt hinzufügen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Import from CSV…</source>
        <translation>Aus CSV importieren…</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+206"/>
        <source>Import contacts from a CSV file</source>
        <translation>Kontakte aus einer CSV-Datei importieren</translation>
    </message>
    <message>
        <location line="-205"/>
        <source>Add the contacts of a CSV file (first line: firstname, lastname, number, mobile, email, company) to your personal contacts</source>
        <translation>Die Kontakte einer CSV-Datei (erste Zeile: firstname, lastname, number, mobile, email, company) zu Ihren persönlichen Kontakten hinzufügen</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Sources that could not answer</source>
        <translation>Quellen, die nicht antworten konnten</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Results for “%1”</source>
        <translation>Ergebnisse für „%1“</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Not searched: %1</source>
        <translation>Nicht durchsucht: %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Type a name or number in the search box: colleagues, the company directory, your contacts, favorites and recent calls are searched at once.</source>
        <translation>Geben Sie einen Namen oder eine Nummer in das Suchfeld ein: Kollegen, das Firmenverzeichnis, Ihre Kontakte, Favoriten und letzte Anrufe werden gleichzeitig durchsucht.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Searching %1…</source>
        <translation>Suche in %1…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nobody matches.</source>
        <translation>Keine Treffer.</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Call %1 (%2)</source>
        <translation>%1 anrufen (%2)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Call %1</source>
        <translation>%1 anrufen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Add to favorites</source>
        <translation>Zu Favoriten hinzufügen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Add to contacts</source>
        <translation>Zu Kontakten hinzufügen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Edit…</source>
        <translation>Bearbeiten…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Pick up their call</source>
        <translation>Anruf heranholen</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>%1 saved in your contacts.</source>
        <translation>%1 in Ihren Kontakten gespeichert.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Could not delete %1: %2</source>
        <translation>%1 konnte nicht gelöscht werden: %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 deleted from your contacts.</source>
        <translation>%1 aus Ihren Kontakten gelöscht.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV-Dateien (*.csv);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Contacts are not available here.</source>
        <translation>Kontakte sind hier nicht verfügbar.</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>click the lamp to pick it up</source>
        <translation>auf die Lampe klicken, um den Anruf heranzuholen</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Pick up: %1</source>
        <translation>Heranholen: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Could not pick up the call: %1</source>
        <translation>Anruf konnte nicht herangeholt werden: %1</translation>
    </message>
</context>
<context>
    <name>DemoNumbers</name>
    <message>
        <location filename="../callclient/demo/far_ends.py" line="+66"/>
        <source>Echo test</source>
        <translation>Echotest</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recorded message</source>
        <translation>Aufgezeichnete Nachricht</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Voicemail box</source>
        <translation>Mailbox</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Call me back</source>
        <translation>Rückruf</translation>
    </message>
</context>
<context>
    <name>DesktopApp</name>
    <message>
        <location filename="../ui/main.py" line="+125"/>
        <source>CallClient cannot start</source>
        <translation>CallClient kann nicht starten</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>The shortcut %1 for %2 is taken by another program: %3</source>
        <translation>Das Tastenkürzel %1 für %2 wird bereits von einem anderen Programm verwendet: %3</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>CallClient %1 is available: %2</source>
        <translation>CallClient %1 ist verfügbar: %2</translation>
    </message>
</context>
<context>
    <name>DesktopPage</name>
    <message>
        <location filename="../ui/settings/desktop_page.py" line="+21"/>
        <source>Answer</source>
        <translation>Annehmen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hang up</source>
        <translation>Auflegen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mute or unmute</source>
        <translation>Stummschalten oder Ton an</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Redial</source>
        <translation>Wahlwiederholung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show the window</source>
        <translation>Fenster anzeigen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>answer</source>
        <translation>annehmen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>hang up</source>
        <translation>auflegen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>mute</source>
        <translation>stummschalten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>phone button</source>
        <translation>Telefontaste</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Show calls, missed calls and voicemail as desktop notifications</source>
        <translation>Anrufe, verpasste Anrufe und Mailbox-Nachrichten als Desktop-Benachrichtigungen anzeigen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Notifications</source>
        <translation>Benachrichtigungen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not available in this session: %1</source>
        <translation>In dieser Sitzung nicht verfügbar: %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Media keys and Bluetooth headset buttons answer and hang up</source>
        <translation>Medientasten und Tasten von Bluetooth-Headsets nehmen Anrufe an und legen auf</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Media keys</source>
        <translation>Medientasten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start CallClient when I log in (in the tray)</source>
        <translation>CallClient bei der Anmeldung starten (im Infobereich)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Start at login</source>
        <translation>Autostart</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start minimised to the tray</source>
        <translation>Minimiert im Infobereich starten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open sip:, sips:, tel: and callto: links with CallClient</source>
        <translation>sip:-, sips:-, tel:- und callto:-Links mit CallClient öffnen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Links</source>
        <translation>Links</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Global shortcuts (work while another window has focus)</source>
        <translation>Globale Tastenkürzel (wirken auch, wenn ein anderes Fenster aktiv ist)</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Shortcut to %1</source>
        <translation>Tastenkürzel für „%1“</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>%1 shortcut</source>
        <translation>Tastenkürzel „%1“</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Headset buttons</source>
        <translation>Headset-Tasten</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Tick the devices whose answer, hang-up and mute buttons drive calls</source>
        <translation>Markieren Sie die Geräte, deren Tasten zum Annehmen, Auflegen und Stummschalten die Anrufe steuern</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Look again</source>
        <translation>Erneut suchen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Look for headsets again</source>
        <translation>Erneut nach Headsets suchen</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+1"/>
        <source>Devices that drive calls</source>
        <translation>Geräte, die Anrufe steuern</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Not set: %1</source>
        <translation>Nicht festgelegt: %1</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>%1 (not connected)</source>
        <translation>%1 (nicht verbunden)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No headset with call buttons found</source>
        <translation>Kein Headset mit Anruftasten gefunden</translation>
    </message>
</context>
<context>
    <name>Dialpad</name>
    <message>
        <location filename="../ui/dialpad.py" line="+59"/>
        <source>Number, extension or SIP address</source>
        <translation>Nummer, Durchwahl oder SIP-Adresse</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Number to call</source>
        <translation>Anzurufende Nummer</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Delete the last digit</source>
        <translation>Letzte Ziffer löschen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Backspace</source>
        <translation>Rücktaste</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Key %1</source>
        <translation>Taste %1</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Call (Enter); with an empty number, redial</source>
        <translation>Anrufen (Eingabe); ohne Nummer: Wahlwiederholung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Call</source>
        <translation>Anrufen</translation>
    </message>
</context>
<context>
    <name>DirectoryPage</name>
    <message>
        <location filename="../ui/settings/directory_page.py" line="+41"/>
        <source>Company directory</source>
        <translation>Firmenverzeichnis</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Search my phone system&apos;s directory and name callers from it</source>
        <translation>Verzeichnis meiner Telefonanlage durchsuchen und Anrufer daraus benennen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Phone system</source>
        <translation>Telefonanlage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>LDAP server</source>
        <translation>LDAP-Server</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Search base (DN)</source>
        <translation>Suchbasis (DN)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Bind as (DN)</source>
        <translation>Anmelden als (DN)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>empty: anonymous</source>
        <translation>leer: anonym</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bind password</source>
        <translation>Bind-Passwort</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Upgrade ldap:// connections with StartTLS</source>
        <translation>ldap://-Verbindungen mit StartTLS absichern</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Encryption</source>
        <translation>Verschlüsselung</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>My address book</source>
        <translation>Mein Adressbuch</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Names for callers and quick dial from your own contacts. Read only with your permission; the copy is kept encrypted and removed when you turn this off.</source>
        <translation>Anrufernamen und Schnellwahl aus Ihren eigenen Kontakten. Wird nur mit Ihrer Erlaubnis gelesen; die Kopie wird verschlüsselt gespeichert und beim Ausschalten entfernt.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Use my address book</source>
        <translation>Mein Adressbuch verwenden</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Permission</source>
        <translation>Erlaubnis</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>vCard files or folders, separated by ;</source>
        <translation>vCard-Dateien oder -Ordner, getrennt durch ;</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Folder…</source>
        <translation>Ordner…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose a folder of vCard files</source>
        <translation>Ordner mit vCard-Dateien auswählen</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>vCard files or folders</source>
        <translation>vCard-Dateien oder -Ordner</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>vCard files</source>
        <translation>vCard-Dateien</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CardDAV address book</source>
        <translation>CardDAV-Adressbuch</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CardDAV user</source>
        <translation>CardDAV-Benutzer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CardDAV password</source>
        <translation>CardDAV-Passwort</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Directory status</source>
        <translation>Verzeichnisstatus</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>kept in the system keychain</source>
        <translation>im Schlüsselbund des Systems gespeichert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no keychain available</source>
        <translation>kein Schlüsselbund verfügbar</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+21"/>
        <source>saved in the system keychain</source>
        <translation>im Schlüsselbund des Systems gespeichert</translation>
    </message>
    <message>
        <location line="-11"/>
        <location line="+14"/>
        <source>Directory</source>
        <translation>Verzeichnis</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Folder of vCard files</source>
        <translation>Ordner mit vCard-Dateien</translation>
    </message>
</context>
<context>
    <name>EditContactDialog</name>
    <message>
        <location filename="../ui/personal_contacts.py" line="-21"/>
        <source>Edit contact</source>
        <translation>Kontakt bearbeiten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save the changes</source>
        <translation>Änderungen speichern</translation>
    </message>
</context>
<context>
    <name>FavoritesView</name>
    <message>
        <location filename="../ui/favorites_view.py" line="+57"/>
        <location line="+22"/>
        <source>Favorites</source>
        <translation>Favoriten</translation>
    </message>
    <message>
        <location line="-18"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New favorite&apos;s name</source>
        <translation>Name des neuen Favoriten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Number or SIP address</source>
        <translation>Nummer oder SIP-Adresse</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New favorite&apos;s number</source>
        <translation>Nummer des neuen Favoriten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add</source>
        <translation>Hinzufügen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add favorite</source>
        <translation>Favoriten hinzufügen</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove the selected favorite</source>
        <translation>Ausgewählten Favoriten entfernen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pick up</source>
        <translation>Heranholen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pick up the selected colleague&apos;s ringing call</source>
        <translation>Klingelnden Anruf des ausgewählten Kollegen heranholen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Answer the call ringing for this colleague (pickup feature code)</source>
        <translation>Den Anruf annehmen, der bei diesem Kollegen klingelt (Kennziffer zum Heranholen)</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Busy lamp legend</source>
        <translation>Legende der Besetztlampen</translation>
    </message>
    <message>
        <location line="+22"/>
        <location line="+29"/>
        <source>Set up an account to keep favorites.</source>
        <translation>Richten Sie ein Konto ein, um Favoriten zu speichern.</translation>
    </message>
    <message>
        <location line="-13"/>
        <source>No favorites yet: add a name and a number above.</source>
        <translation>Noch keine Favoriten: Geben Sie oben einen Namen und eine Nummer ein.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Favorites: %1</source>
        <translation>Favoriten: %1</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>click the lamp or Pick up to answer it</source>
        <translation>auf die Lampe oder „Heranholen“ klicken, um den Anruf anzunehmen</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Pick up: %1</source>
        <translation>Heranholen: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Could not pick up the call: %1</source>
        <translation>Anruf konnte nicht herangeholt werden: %1</translation>
    </message>
</context>
<context>
    <name>ForwardingBanner</name>
    <message>
        <location filename="../ui/forwarding.py" line="+31"/>
        <source>Call forwarding</source>
        <translation>Rufumleitung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Turn off</source>
        <translation>Ausschalten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Turn off call forwarding</source>
        <translation>Rufumleitung ausschalten</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Calls are forwarded to %1</source>
        <translation>Anrufe werden an %1 umgeleitet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>another number</source>
        <translation>eine andere Nummer</translation>
    </message>
</context>
<context>
    <name>ForwardingMenu</name>
    <message>
        <location line="+27"/>
        <source>Call &amp;forwarding</source>
        <translation>&amp;Rufumleitung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Forward all calls to…</source>
        <translation>Alle Anrufe umleiten an…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stop forwarding all calls</source>
        <translation>Umleitung aller Anrufe beenden</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Forward all calls</source>
        <translation>Alle Anrufe umleiten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Forward all calls to (number or extension):</source>
        <translation>Alle Anrufe umleiten an (Nummer oder Durchwahl):</translation>
    </message>
</context>
<context>
    <name>ForwardingPage</name>
    <message>
        <location filename="../ui/settings/forwarding_page.py" line="+36"/>
        <source>Forwarding is kept on the phone system: your desk phone and other apps follow it.</source>
        <translation>Die Rufumleitung wird in der Telefonanlage gespeichert: Ihr Tischtelefon und andere Apps übernehmen sie.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Forward all calls</source>
        <translation>Alle Anrufe umleiten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Forward when busy</source>
        <translation>Umleiten bei Besetzt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Forward when not answered</source>
        <translation>Umleiten bei Nichtmelden</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>number or extension</source>
        <translation>Nummer oder Durchwahl</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: destination</source>
        <translation>%1: Ziel</translation>
    </message>
    <message>
        <location line="+8"/>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ring time before forwarding when not answered</source>
        <translation>Klingeldauer vor der Umleitung bei Nichtmelden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ring for</source>
        <translation>Klingeldauer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Apply</source>
        <translation>Übernehmen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Apply call forwarding</source>
        <translation>Rufumleitung übernehmen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Forwarding status</source>
        <translation>Status der Rufumleitung</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Call forwarding is set on the phone system. Sign in to your Wazo phone system to set it here; with a SIP-only account, use your desk phone.</source>
        <translation>Die Rufumleitung wird in der Telefonanlage eingestellt. Melden Sie sich an Ihrer Wazo-Telefonanlage an, um sie hier einzustellen; mit einem reinen SIP-Konto verwenden Sie Ihr Tischtelefon.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Reading your forwarding from the phone system…</source>
        <translation>Ihre Rufumleitung wird aus der Telefonanlage gelesen…</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Saving on the phone system…</source>
        <translation>Wird in der Telefonanlage gespeichert…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Saved on the phone system.</source>
        <translation>In der Telefonanlage gespeichert.</translation>
    </message>
</context>
<context>
    <name>HistoryView</name>
    <message>
        <location filename="../ui/history_view.py" line="+33"/>
        <source>History</source>
        <translation>Anrufliste</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>All</source>
        <translation>Alle</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Missed</source>
        <translation>Verpasst</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show all calls</source>
        <translation>Alle Anrufe anzeigen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show missed calls</source>
        <translation>Verpasste Anrufe anzeigen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Refresh (F5)</source>
        <translation>Aktualisieren (F5)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh history</source>
        <translation>Anrufliste aktualisieren</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Call history</source>
        <translation>Anrufliste</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Your phone system does not share call history with CallClient.</source>
        <translation>Ihre Telefonanlage teilt die Anrufliste nicht mit CallClient.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>No calls yet.</source>
        <translation>Noch keine Anrufe.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Could not load the history: %1</source>
        <translation>Anrufliste konnte nicht geladen werden: %1</translation>
    </message>
</context>
<context>
    <name>ImportResultDialog</name>
    <message>
        <location filename="../ui/personal_contacts.py" line="+29"/>
        <source>Import contacts</source>
        <translation>Kontakte importieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Importing %1…</source>
        <translation>%1 wird importiert…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Lines that were not imported</source>
        <translation>Nicht importierte Zeilen</translation>
    </message>
    <message numerus="yes">
        <location line="+10"/>
        <source>%n contact(s) imported into your personal contacts.</source>
        <translation>
            <numerusform>%n Kontakt in Ihre persönlichen Kontakte importiert.</numerusform>
            <numerusform>%n Kontakte in Ihre persönlichen Kontakte importiert.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n line(s) not imported:</source>
        <translation>
            <numerusform>%n Zeile nicht importiert:</numerusform>
            <numerusform>%n Zeilen nicht importiert:</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Line %1: %2</source>
        <translation>Zeile %1: %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Nothing was imported: %1</source>
        <translation>Nichts wurde importiert: %1</translation>
    </message>
</context>
<context>
    <name>IncomingCallWindow</name>
    <message>
        <location filename="../ui/incoming.py" line="+53"/>
        <location line="+1"/>
        <location line="+9"/>
        <location line="+82"/>
        <source>Incoming call</source>
        <translation>Eingehender Anruf</translation>
    </message>
    <message>
        <location line="-78"/>
        <source>Caller</source>
        <translation>Anrufer</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Caller&apos;s number</source>
        <translation>Nummer des Anrufers</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Caller&apos;s title and company</source>
        <translation>Position und Firma des Anrufers</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+2"/>
        <source>Answer</source>
        <translation>Annehmen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Answer (Ctrl+Shift+A in the main window)</source>
        <translation>Annehmen (Strg+Umschalt+A im Hauptfenster)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Hold and answer</source>
        <translation>Halten und annehmen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Hold the current call and answer</source>
        <translation>Aktuellen Anruf halten und annehmen</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+2"/>
        <source>Decline</source>
        <translation>Ablehnen</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Unlock CallClient to see who is calling</source>
        <translation>Entsperren Sie CallClient, um zu sehen, wer anruft</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Call waiting</source>
        <translation>Anklopfen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <location filename="../ui/lock_screen.py" line="+23"/>
        <location line="+2"/>
        <source>CallClient is locked</source>
        <translation>CallClient ist gesperrt</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Confirm it is you to see your favorites, history, voicemail and contacts. Calls still ring and can be answered.</source>
        <translation>Bestätigen Sie Ihre Identität, um Favoriten, Anrufliste, Mailbox und Kontakte zu sehen. Anrufe klingeln weiterhin und können angenommen werden.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Unlock status</source>
        <translation>Entsperrstatus</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+48"/>
        <location line="+19"/>
        <source>Unlock</source>
        <translation>Entsperren</translation>
    </message>
    <message>
        <location line="-65"/>
        <source>Unlock CallClient</source>
        <translation>CallClient entsperren</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel unlocking</source>
        <translation>Entsperren abbrechen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Emergency number</source>
        <translation>Notrufnummer</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+2"/>
        <source>Emergency call</source>
        <translation>Notruf</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Emergency numbers can be called while CallClient is locked.</source>
        <translation>Notrufnummern können auch bei gesperrtem CallClient gewählt werden.</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Waiting for the system to confirm it is you…</source>
        <translation>Warten, bis das System Ihre Identität bestätigt…</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Unlock (wait %1 s)</source>
        <translation>Entsperren (%1 s warten)</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../ui/main_window.py" line="+71"/>
        <location filename="../ui/navigation.py" line="+17"/>
        <location filename="../ui/tray.py" line="+62"/>
        <source>CallClient</source>
        <translation>CallClient</translation>
    </message>
    <message>
        <location filename="../ui/navigation.py" line="+4"/>
        <source>Sections</source>
        <translation>Bereiche</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Dialpad</source>
        <translation>Wähltastatur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Favorites</source>
        <translation>Favoriten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>History</source>
        <translation>Anrufliste</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Voicemail</source>
        <translation>Mailbox</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contacts</source>
        <translation>Kontakte</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location line="+12"/>
        <location filename="../ui/tray.py" line="-24"/>
        <source>Starting…</source>
        <translation>Wird gestartet…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Registration state</source>
        <translation>Registrierungsstatus</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+1"/>
        <source>Do not disturb</source>
        <translation>Nicht stören</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refuse incoming calls as busy</source>
        <translation>Eingehende Anrufe als „besetzt“ abweisen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.py" line="+21"/>
        <location line="+6"/>
        <source>Search</source>
        <translation>Suchen</translation>
    </message>
    <message>
        <location line="-2"/>
        <location line="+1"/>
        <source>Clear the search</source>
        <translation>Suche löschen</translation>
    </message>
    <message>
        <location filename="../ui/notices.py" line="+41"/>
        <source>Notice</source>
        <translation>Hinweis</translation>
    </message>
    <message>
        <location filename="../ui/main_window.py" line="+91"/>
        <source>Demo mode: try %1</source>
        <translation>Demomodus: Probieren Sie %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Demo numbers</source>
        <translation>Demonummern</translation>
    </message>
    <message>
        <location filename="../ui/window_lock.py" line="+130"/>
        <source>Unlock CallClient</source>
        <translation>CallClient entsperren</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Only emergency numbers can be called while CallClient is locked.</source>
        <translation>Bei gesperrtem CallClient können nur Notrufnummern gewählt werden.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.py" line="+5"/>
        <source>&amp;CallClient</source>
        <translation>&amp;CallClient</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Settings…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sign &amp;in…</source>
        <translation>&amp;Anmelden…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sign &amp;out</source>
        <translation>A&amp;bmelden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>C&amp;all</source>
        <translation>&amp;Anruf</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Redial</source>
        <translation>&amp;Wahlwiederholung</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Answer</source>
        <translation>A&amp;nnehmen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Re&amp;cordings…</source>
        <translation>A&amp;ufnahmen…</translation>
    </message>
    <message>
        <location filename="../ui/tray.py" line="+4"/>
        <source>Quick dial…</source>
        <translation>Schnellwahl…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show CallClient</source>
        <translation>CallClient anzeigen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <location filename="../ui/window_lock.py" line="+9"/>
        <source>Unlock CallClient to call this number; emergency numbers can be called while locked.</source>
        <translation>Entsperren Sie CallClient, um diese Nummer anzurufen; Notrufnummern sind auch im gesperrten Zustand wählbar.</translation>
    </message>
    <message>
        <location filename="../ui/answering.py" line="+62"/>
        <location line="+5"/>
        <source>Could not answer</source>
        <translation>Annehmen nicht möglich</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Could not decline</source>
        <translation>Ablehnen nicht möglich</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Could not hang up</source>
        <translation>Auflegen nicht möglich</translation>
    </message>
    <message>
        <location line="+6"/>
        <location filename="../ui/navigation.py" line="+61"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location line="-34"/>
        <source>Incoming call</source>
        <translation>Eingehender Anruf</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>Unlock CallClient to see who is calling</source>
        <translation>Entsperren Sie CallClient, um zu sehen, wer anruft</translation>
    </message>
    <message>
        <location filename="../ui/main_window.py" line="-132"/>
        <source>Search colleagues, contacts, favorites and history (Ctrl+F)</source>
        <translation>Kollegen, Kontakte, Favoriten und Anrufliste durchsuchen (Strg+F)</translation>
    </message>
    <message>
        <location line="+174"/>
        <source>%1 added to favorites.</source>
        <translation>%1 zu den Favoriten hinzugefügt.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 added to your contacts.</source>
        <translation>%1 zu Ihren Kontakten hinzugefügt.</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>Call to %1 ended: %2</source>
        <translation>Anruf an %1 beendet: %2</translation>
    </message>
    <message>
        <location filename="../ui/notices.py" line="+50"/>
        <source>Missed call</source>
        <translation>Verpasster Anruf</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unlock CallClient to see who called</source>
        <translation>Entsperren Sie CallClient, um zu sehen, wer angerufen hat</translation>
    </message>
    <message>
        <location line="-24"/>
        <source>Call transferred.</source>
        <translation>Anruf übergeben.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The transfer did not go through: %1 (%2)</source>
        <translation>Die Übergabe ist fehlgeschlagen: %1 (%2)</translation>
    </message>
    <message>
        <location filename="../ui/navigation.py" line="-2"/>
        <source>Could not change do not disturb</source>
        <translation>„Nicht stören“ konnte nicht geändert werden</translation>
    </message>
    <message>
        <location filename="../ui/tray.py" line="+13"/>
        <source>Do not disturb · %1</source>
        <translation>Nicht stören · %1</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Quick dial</source>
        <translation>Schnellwahl</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Number to call:</source>
        <translation>Anzurufende Nummer:</translation>
    </message>
</context>
<context>
    <name>NavigationColumn</name>
    <message numerus="yes">
        <location filename="../ui/navigation.py" line="-25"/>
        <source>%1, %n new</source>
        <translation>
            <numerusform>%1, %n neu</numerusform>
            <numerusform>%1, %n neu</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>NetworkPage</name>
    <message>
        <location filename="../ui/settings/network_page.py" line="+19"/>
        <source>Verify the server&apos;s certificate</source>
        <translation>Zertifikat des Servers prüfen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>TLS</source>
        <translation>TLS</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the system&apos;s trusted authorities</source>
        <translation>die vertrauenswürdigen Zertifizierungsstellen des Systems</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Certificate authorities</source>
        <translation>Zertifizierungsstellen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>UDP %1 · TCP %2 · TLS %3</source>
        <translation>UDP %1 · TCP %2 · TLS %3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Local ports</source>
        <translation>Lokale Ports</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+4"/>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>STUN servers</source>
        <translation>STUN-Server</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>demo phone system (%1)</source>
        <translation>Demo-Telefonanlage (%1)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Phone system API</source>
        <translation>API der Telefonanlage</translation>
    </message>
</context>
<context>
    <name>PrivacyPage</name>
    <message>
        <location filename="../ui/settings/privacy_page.py" line="+20"/>
        <source>CallClient keeps your accounts&apos; passwords in the system keychain and your favorites, settings and cached voicemail encrypted on this computer. Erasing removes all of it and quits.</source>
        <translation>CallClient speichert die Passwörter Ihrer Konten im Schlüsselbund des Systems und Ihre Favoriten, Einstellungen und zwischengespeicherten Mailbox-Nachrichten verschlüsselt auf diesem Computer. Beim Löschen wird all das entfernt und CallClient beendet.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Erase my data…</source>
        <translation>Meine Daten löschen…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Erase all my data from this computer</source>
        <translation>Alle meine Daten von diesem Computer löschen</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Lock CallClient when the computer locks or after a while unused</source>
        <translation>CallClient sperren, wenn der Computer gesperrt wird oder nach einer Weile ohne Nutzung</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Lock CallClient</source>
        <translation>CallClient sperren</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not offered here.</source>
        <translation>Hier nicht verfügbar.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The app lock is not available: %1</source>
        <translation>Die App-Sperre ist nicht verfügbar: %1</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>after %n minutes without use</source>
        <translation>
            <numerusform>nach %n Minute ohne Nutzung</numerusform>
            <numerusform>nach %n Minuten ohne Nutzung</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>only when the computer locks</source>
        <translation>nur, wenn der Computer gesperrt wird</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Your system confirms it is you (fingerprint, face or password) before favorites, history, voicemail and contacts show again; CallClient never sees your fingerprint or password. It locks %1. Calls still ring and emergency numbers can always be called.</source>
        <translation>Ihr System bestätigt Ihre Identität (Fingerabdruck, Gesicht oder Passwort), bevor Favoriten, Anrufliste, Mailbox und Kontakte wieder angezeigt werden; CallClient sieht Ihren Fingerabdruck oder Ihr Passwort nie. Die Sperre greift %1. Anrufe klingeln weiterhin, und Notrufnummern sind immer wählbar.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>App lock</source>
        <translation>App-Sperre</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Erase my data</source>
        <translation>Meine Daten löschen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove every password, favorite, setting and cached voicemail of CallClient from this computer, and quit?</source>
        <translation>Alle Passwörter, Favoriten, Einstellungen und zwischengespeicherten Mailbox-Nachrichten von CallClient von diesem Computer entfernen und beenden?</translation>
    </message>
</context>
<context>
    <name>RecordingsDialog</name>
    <message>
        <location filename="../ui/recordings_view.py" line="+43"/>
        <location line="+3"/>
        <source>Call recordings</source>
        <translation>Anrufaufnahmen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Recordings status</source>
        <translation>Status der Aufnahmen</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+89"/>
        <location line="+11"/>
        <source>Play</source>
        <translation>Abspielen</translation>
    </message>
    <message>
        <location line="-99"/>
        <source>Play or pause the recording</source>
        <translation>Aufnahme abspielen oder anhalten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export WAV…</source>
        <translation>Als WAV exportieren…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export Opus…</source>
        <translation>Als Opus exportieren…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ogg Opus: about a tenth of the WAV&apos;s size</source>
        <translation>Ogg Opus: etwa ein Zehntel der WAV-Größe</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+122"/>
        <source>Delete the recording</source>
        <translation>Aufnahme löschen</translation>
    </message>
    <message>
        <location line="-92"/>
        <source>No call recordings on this computer.</source>
        <translation>Keine Anrufaufnahmen auf diesem Computer.</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Opening the recording…</source>
        <translation>Aufnahme wird geöffnet…</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>WAV audio (*.wav)</source>
        <translation>WAV-Audio (*.wav)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Ogg Opus audio (*.opus *.ogg)</source>
        <translation>Ogg-Opus-Audio (*.opus *.ogg)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export the recording</source>
        <translation>Aufnahme exportieren</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Exporting…</source>
        <translation>Wird exportiert…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Exported to %1</source>
        <translation>Exportiert nach %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Delete this call recording from this computer? It cannot be brought back.</source>
        <translation>Diese Anrufaufnahme von diesem Computer löschen? Sie kann nicht wiederhergestellt werden.</translation>
    </message>
</context>
<context>
    <name>RefusedCallsPanel</name>
    <message numerus="yes">
        <location filename="../ui/refused_calls.py" line="+7"/>
        <source>%n more</source>
        <translation>
            <numerusform>%n weiterer</numerusform>
            <numerusform>%n weitere</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../ui/settings/common.py" line="+20"/>
        <location line="+5"/>
        <source>default</source>
        <translation>Standard</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>locked by your administrator</source>
        <translation>von Ihrem Administrator gesperrt</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>set by %1</source>
        <translation>festgelegt durch %1</translation>
    </message>
    <message>
        <location filename="../ui/settings/dialog.py" line="+32"/>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Settings sections</source>
        <translation>Bereiche der Einstellungen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accounts</source>
        <translation>Konten</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Audio</source>
        <translation>Audio</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Calls and codecs</source>
        <translation>Anrufe und Codecs</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Directory</source>
        <translation>Verzeichnis</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Desktop</source>
        <translation>Desktop</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Forwarding</source>
        <translation>Umleitung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Network</source>
        <translation>Netzwerk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Privacy</source>
        <translation>Datenschutz</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>About</source>
        <translation>Info</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Close settings</source>
        <translation>Einstellungen schließen</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../ui/settings/common.py" line="+19"/>
        <source>Where %1 comes from</source>
        <translation>Herkunft von %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>SignInWindow</name>
    <message>
        <location filename="../ui/sign_in.py" line="+35"/>
        <source>Sign in to CallClient</source>
        <translation>Bei CallClient anmelden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Welcome to CallClient</source>
        <translation>Willkommen bei CallClient</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sign in with your work email, or set up a SIP account by hand.</source>
        <translation>Melden Sie sich mit Ihrer geschäftlichen E-Mail-Adresse an oder richten Sie ein SIP-Konto manuell ein.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>How to sign in</source>
        <translation>Anmeldeart</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Email and password</source>
        <translation>E-Mail und Passwort</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SIP account</source>
        <translation>SIP-Konto</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sign-in status</source>
        <translation>Anmeldestatus</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Phone system address</source>
        <translation>Adresse der Telefonanlage</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Set by %1</source>
        <translation>Festgelegt durch %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Demo phone system</source>
        <translation>Demo-Telefonanlage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your administrator sets the phone system&apos;s address.</source>
        <translation>Ihr Administrator legt die Adresse der Telefonanlage fest.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>name@company.com</source>
        <translation>name@firma.de</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+12"/>
        <source>Email</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <location line="-9"/>
        <location line="+10"/>
        <location line="+48"/>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <location line="-56"/>
        <location line="+2"/>
        <source>Sign in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Phone system</source>
        <translation>Telefonanlage</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Enter your email and your password.</source>
        <translation>Geben Sie Ihre E-Mail-Adresse und Ihr Passwort ein.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Signing in…</source>
        <translation>Anmeldung läuft…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Signed in as %1.</source>
        <translation>Angemeldet als %1.</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+20"/>
        <source>Your name</source>
        <translation>Ihr Name</translation>
    </message>
    <message>
        <location line="-18"/>
        <source>1001</source>
        <translation>1001</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User or extension</source>
        <translation>Benutzer oder Durchwahl</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>pbx.company.com</source>
        <translation>pbx.firma.de</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SIP domain</source>
        <translation>SIP-Domain</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>SIP password</source>
        <translation>SIP-Passwort</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>optional: host[:port]</source>
        <translation>optional: Host[:Port]</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+12"/>
        <source>Registrar</source>
        <translation>Registrar</translation>
    </message>
    <message>
        <location line="-10"/>
        <location line="+11"/>
        <source>Transport</source>
        <translation>Transport</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>Save and connect</source>
        <translation>Speichern und verbinden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save the SIP account and connect</source>
        <translation>SIP-Konto speichern und verbinden</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Domain</source>
        <translation>Domain</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Enter at least the user and the domain.</source>
        <translation>Geben Sie mindestens Benutzer und Domain ein.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Connecting…</source>
        <translation>Verbindung wird hergestellt…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Account saved.</source>
        <translation>Konto gespeichert.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Could not sign in: %1</source>
        <translation>Anmeldung nicht möglich: %1</translation>
    </message>
</context>
<context>
    <name>SipStatus</name>
    <message>
        <location filename="../ui/sip_words.py" line="+14"/>
        <source>not allowed</source>
        <translation>nicht erlaubt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>number not found</source>
        <translation>Nummer nicht gefunden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no answer</source>
        <translation>keine Antwort</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>number no longer in service</source>
        <translation>Nummer nicht mehr vergeben</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not reachable right now</source>
        <translation>zurzeit nicht erreichbar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>incomplete number</source>
        <translation>unvollständige Nummer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>busy</source>
        <translation>besetzt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the other phone cannot handle this call&apos;s audio</source>
        <translation>das andere Telefon unterstützt den Ton dieses Anrufs nicht</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the phone system had an error</source>
        <translation>in der Telefonanlage ist ein Fehler aufgetreten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the phone system could not reach the other side</source>
        <translation>die Telefonanlage konnte die Gegenseite nicht erreichen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>service unavailable</source>
        <translation>Dienst nicht verfügbar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the phone system did not answer in time</source>
        <translation>die Telefonanlage hat nicht rechtzeitig geantwortet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>busy everywhere</source>
        <translation>überall besetzt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>declined</source>
        <translation>abgelehnt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>number does not exist</source>
        <translation>Nummer existiert nicht</translation>
    </message>
</context>
<context>
    <name>SystemTray</name>
    <message numerus="yes">
        <location filename="../ui/tray.py" line="-24"/>
        <source>%n missed</source>
        <translation>
            <numerusform>%n verpasster Anruf</numerusform>
            <numerusform>%n verpasste Anrufe</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n refused</source>
        <translation>
            <numerusform>%n abgewiesener Anruf</numerusform>
            <numerusform>%n abgewiesene Anrufe</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n voicemail</source>
        <translation>
            <numerusform>%n Mailbox-Nachricht</numerusform>
            <numerusform>%n Mailbox-Nachrichten</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>VoicemailView</name>
    <message>
        <location filename="../ui/voicemail_view.py" line="+54"/>
        <source>Voicemail</source>
        <translation>Mailbox</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh voicemail</source>
        <translation>Mailbox aktualisieren</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Voicemail messages</source>
        <translation>Mailbox-Nachrichten</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+131"/>
        <source>Choose a message to play it.</source>
        <translation>Wählen Sie eine Nachricht zum Abspielen.</translation>
    </message>
    <message>
        <location line="-128"/>
        <source>Selected message</source>
        <translation>Ausgewählte Nachricht</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+158"/>
        <source>Play</source>
        <translation>Abspielen</translation>
    </message>
    <message>
        <location line="-157"/>
        <source>Play or pause the message</source>
        <translation>Nachricht abspielen oder anhalten</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Position in the message</source>
        <translation>Position in der Nachricht</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Elapsed and total time</source>
        <translation>Verstrichene und gesamte Zeit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Call back</source>
        <translation>Zurückrufen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Call the caller back</source>
        <translation>Den Anrufer zurückrufen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete the message</source>
        <translation>Nachricht löschen</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Your phone system keeps voicemail on the server: call %1 to listen.</source>
        <translation>Ihre Telefonanlage speichert die Mailbox auf dem Server: Rufen Sie %1 an, um sie abzuhören.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Your phone system does not share voicemail with CallClient.</source>
        <translation>Ihre Telefonanlage teilt die Mailbox nicht mit CallClient.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>No voicemail.</source>
        <translation>Keine Mailbox-Nachrichten.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Could not load voicemail: %1</source>
        <translation>Mailbox konnte nicht geladen werden: %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Loading the message from %1…</source>
        <translation>Nachricht von %1 wird geladen…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No phone system is set up.</source>
        <translation>Keine Telefonanlage eingerichtet.</translation>
    </message>
    <message>
        <location line="+23"/>
        <location line="+26"/>
        <source>Could not play the message: %1</source>
        <translation>Nachricht konnte nicht abgespielt werden: %1</translation>
    </message>
    <message>
        <location line="-16"/>
        <source>Unlock CallClient to see this message.</source>
        <translation>Entsperren Sie CallClient, um diese Nachricht zu sehen.</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Could not mark the message read: %1</source>
        <translation>Nachricht konnte nicht als abgehört markiert werden: %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Could not delete the message: %1</source>
        <translation>Nachricht konnte nicht gelöscht werden: %1</translation>
    </message>
</context>
<context>
    <name>confirm</name>
    <message>
        <location filename="../ui/confirm.py" line="+41"/>
        <source>Call outside your organisation?</source>
        <translation>Außerhalb Ihrer Organisation anrufen?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This address is outside your account&apos;s domain. The call will not go through your organisation&apos;s phone system.

%1

Call it?</source>
        <translation>Diese Adresse liegt außerhalb der Domain Ihres Kontos. Der Anruf läuft nicht über die Telefonanlage Ihrer Organisation.

%1

Trotzdem anrufen?</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Could not call %1: %2</source>
        <translation>%1 konnte nicht angerufen werden: %2</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../ui/main.py" line="+30"/>
        <source>Starting CallClient…</source>
        <translation>CallClient wird gestartet…</translation>
    </message>
</context>
</TS>
