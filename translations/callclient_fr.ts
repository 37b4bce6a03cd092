<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name></name>
    <message>
        <location filename="../ui/navigation.py" line="+33"/>
        <source>Ready · %1</source>
        <translation>Prêt · %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Ready</source>
        <translation>Prêt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ready (direct calls, no registration)</source>
        <translation>Prêt (appels directs, sans enregistrement)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connecting to your phone system…</source>
        <translation>Connexion à votre système téléphonique…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reconnecting…</source>
        <translation>Reconnexion…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not connected: %1</source>
        <translation>Non connecté : %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>the phone system did not answer</source>
        <translation>le système téléphonique n’a pas répondu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not connected</source>
        <translation>Non connecté</translation>
    </message>
    <message>
        <location filename="../ui/models.py" line="+109"/>
        <source>LDAP</source>
        <translation>LDAP</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Directory</source>
        <translation>Annuaire</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PBX</source>
        <translation>Système téléphonique</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Personal</source>
        <translation>Contact personnel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Address book</source>
        <translation>Carnet d’adresses</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Favorite</source>
        <translation>Favori</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>History</source>
        <translation>Historique</translation>
    </message>
    <message>
        <location line="+100"/>
        <source>Missed call</source>
        <translation>Appel manqué</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Incoming</source>
        <translation>Entrant</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Outgoing</source>
        <translation>Sortant</translation>
    </message>
    <message>
        <location filename="../ui/lamps.py" line="+37"/>
        <source>Idle</source>
        <translation>Libre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ringing</source>
        <translation>Sonnerie</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In a call</source>
        <translation>En communication</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>On hold</source>
        <translation>En attente</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../ui/status_menu.py" line="+26"/>
        <source>Away</source>
        <translation>Absent</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../ui/status_menu.py" line="+1"/>
        <source>Do not disturb</source>
        <translation>Ne pas déranger</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Offline or not registered</source>
        <translation>Hors ligne ou non enregistré</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../ui/models.py" line="+1"/>
        <source>Unknown</source>
        <translation>Inconnu</translation>
    </message>
    <message>
        <location filename="../ui/models.py" line="+21"/>
        <source>Unknown caller</source>
        <translation>Appelant inconnu</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Urgent · %1</source>
        <translation>Urgent · %1</translation>
    </message>
    <message>
        <location filename="../ui/refused_calls.py" line="+32"/>
        <source>refused: the caller&apos;s phone does not encrypt audio</source>
        <translation>refusé : le téléphone de l’appelant ne chiffre pas l’audio</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>refused while do-not-disturb was on</source>
        <translation>refusé pendant que « Ne pas déranger » était activé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>refused: not from your phone system</source>
        <translation>refusé : ne vient pas de votre système téléphonique</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>refused: too many calls</source>
        <translation>refusé : trop d’appels en cours</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Missed call from %1 at %2 — %3</source>
        <translation>Appel manqué de %1 à %2 — %3</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Refused calls</source>
        <translation>Appels refusés</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Dismiss all</source>
        <translation>Tout masquer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dismiss every refused-call notice</source>
        <translation>Masquer tous les avis d’appel refusé</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Refused call</source>
        <translation>Appel refusé</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Dismiss</source>
        <translation>Masquer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dismiss this notice</source>
        <translation>Masquer cet avis</translation>
    </message>
    <message>
        <location filename="../ui/personal_contacts.py" line="+49"/>
        <source>%1 is too large to import (%2 MB; at most %3 MB).</source>
        <translation>%1 est trop volumineux pour être importé (%2 Mo ; %3 Mo au maximum).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 could not be read: %2</source>
        <translation>Impossible de lire %1 : %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 is not UTF-8 text (byte %2): save it as “CSV UTF-8” and try again.</source>
        <translation>%1 n’est pas un texte UTF-8 (octet %2) : enregistrez-le au format « CSV UTF-8 » et réessayez.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 is empty.</source>
        <translation>%1 est vide.</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Delete the contact</source>
        <translation>Supprimer le contact</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete %1 from your personal contacts? Every device you sign in on loses it too.</source>
        <translation>Supprimer %1 de vos contacts personnels ? Le contact disparaîtra aussi de tous les appareils où vous vous connectez.</translation>
    </message>
    <message>
        <location filename="../ui/status_menu.py" line="-1"/>
        <source>Available</source>
        <translation>Disponible</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Invisible</source>
        <translation>Invisible</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Calls ring; colleagues see you as available.</source>
        <translation>Les appels sonnent ; vos collègues vous voient disponible.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Calls still ring; colleagues see you as away.</source>
        <translation>Les appels sonnent toujours ; vos collègues vous voient absent.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Incoming calls are refused as busy, on every device of yours.</source>
        <translation>Les appels entrants sont refusés comme « occupé », sur tous vos appareils.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Incoming calls are refused as busy (in this app only: no phone system keeps your status).</source>
        <translation>Les appels entrants sont refusés comme « occupé » (dans cette application seulement : aucun système téléphonique ne garde votre statut).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Calls still ring; colleagues see you as offline.</source>
        <translation>Les appels sonnent toujours ; vos collègues vous voient hors ligne.</translation>
    </message>
    <message>
        <location line="+86"/>
        <source>kept on your phone system</source>
        <translation>gardé sur votre système téléphonique</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>this app only</source>
        <translation>cette application seulement</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>My status: %1 (%2). %3</source>
        <translation>Mon statut : %1 (%2). %3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>My status: %1</source>
        <translation>Mon statut : %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <location filename="../ui/caller_names.py" line="+175"/>
        <source>Call %1</source>
        <translation>Appeler %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Add to favorites</source>
        <translation>Ajouter aux favoris</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add to contacts…</source>
        <translation>Ajouter aux contacts…</translation>
    </message>
</context>
<context>
    <name>AboutPage</name>
    <message>
        <location filename="../ui/settings/about_page.py" line="+35"/>
        <source>Diagnostics</source>
        <translation>Diagnostic</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Copy diagnostics</source>
        <translation>Copier le diagnostic</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy diagnostics to the clipboard</source>
        <translation>Copier le diagnostic dans le presse-papiers</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export log bundle…</source>
        <translation>Exporter les journaux…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export the redacted logs and diagnostics to a zip file</source>
        <translation>Exporter les journaux expurgés et le diagnostic dans un fichier zip</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Main components and their licences</source>
        <translation>Principaux composants et leurs licences</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Licensed under %1. Built on:</source>
        <translation>Sous licence %1. Repose sur :</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Third-party notices…</source>
        <translation>Mentions des tiers…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show the licences of every component CallClient ships</source>
        <translation>Afficher les licences de chaque composant livré avec CallClient</translation>
    </message>
    <message>
        <location line="+17"/>
        <location line="+5"/>
        <location line="+12"/>
        <source>Third-party notices</source>
        <translation>Mentions des tiers</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Export log bundle</source>
        <translation>Exporter les journaux</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Zip archives (*.zip)</source>
        <translation>Archives zip (*.zip)</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+2"/>
        <source>Log bundle</source>
        <translation>Journaux</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Saved to %1</source>
        <translation>Enregistré dans %1</translation>
    </message>
</context>
<context>
    <name>AccountsPage</name>
    <message>
        <location filename="../ui/settings/accounts_page.py" line="+21"/>
        <source>Accounts</source>
        <translation>Comptes</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Your accounts</source>
        <translation>Vos comptes</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sign out</source>
        <translation>Se déconnecter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sign out of your phone system</source>
        <translation>Se déconnecter de votre système téléphonique</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>No account yet: sign in or set up a SIP account.</source>
        <translation>Aucun compte pour l’instant : connectez-vous ou configurez un compte SIP.</translation>
    </message>
</context>
<context>
    <name>AddContactDialog</name>
    <message>
        <location filename="../ui/add_contact.py" line="+29"/>
        <source>Add to contacts</source>
        <translation>Ajouter aux contacts</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>First name</source>
        <translation>Prénom</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Last name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Number</source>
        <translation>Numéro</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Mobile</source>
        <translation>Mobile</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Email</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Company</source>
        <translation>Entreprise</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Kept with your personal contacts on your phone system, so every device you sign in on shows this name.</source>
        <translation>Gardé avec vos contacts personnels sur votre système téléphonique : tous les appareils où vous vous connectez affichent ce nom.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Save the contact</source>
        <translation>Enregistrer le contact</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>A contact needs a name and a number.</source>
        <translation>Un contact doit avoir un nom et un numéro.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Contacts are not available here.</source>
        <translation>Les contacts ne sont pas disponibles ici.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Could not save the contact: %1</source>
        <translation>Impossible d’enregistrer le contact : %1</translation>
    </message>
</context>
<context>
    <name>AddressBookConsentDialog</name>
    <message>
        <location filename="../ui/address_book_consent.py" line="+17"/>
        <source>Use your address book?</source>
        <translation>Utiliser votre carnet d’adresses ?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Let CallClient read your address book?</source>
        <translation>Autoriser CallClient à lire votre carnet d’adresses ?</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>CallClient can read the contacts in your own address book (vCard files or a CardDAV account such as Nextcloud, iCloud or Google) for two things only:

• to show who is calling when a number is in your address book;
• to find people quickly when you type a name in the search box.

The cards are kept encrypted on this computer, never sent to your phone system and never written to the logs. You can turn this off at any time in Settings → Directory; the copy is then removed.</source>
        <translation>CallClient peut lire les contacts de votre propre carnet d’adresses (fichiers vCard ou compte CardDAV tel que Nextcloud, iCloud ou Google) pour deux choses seulement :

• afficher qui appelle quand le numéro figure dans votre carnet d’adresses ;
• trouver rapidement quelqu’un quand vous tapez un nom dans la zone de recherche.

Les fiches sont gardées chiffrées sur cet ordinateur, jamais envoyées à votre système téléphonique et jamais écrites dans les journaux. Vous pouvez désactiver cela à tout moment dans Paramètres → Annuaire ; la copie est alors supprimée.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Allow</source>
        <translation>Autoriser</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Allow CallClient to read my address book</source>
        <translation>Autoriser CallClient à lire mon carnet d’adresses</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not now</source>
        <translation>Pas maintenant</translation>
    </message>
</context>
<context>
    <name>AudioPage</name>
    <message>
        <location filename="../ui/settings/audio_page.py" line="+29"/>
        <source>System default</source>
        <translation>Par défaut du système</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Microphone</source>
        <translation>Microphone</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Speaker</source>
        <translation>Haut-parleur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ringtone plays on</source>
        <translation>Sonnerie sur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The speaker above</source>
        <translation>Le haut-parleur ci-dessus</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Echo cancellation</source>
        <translation>Annulation d’écho</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Noise suppression</source>
        <translation>Réduction du bruit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Automatic gain control</source>
        <translation>Contrôle automatique du gain</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Test speaker</source>
        <translation>Tester le haut-parleur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Play a test sound on the speaker</source>
        <translation>Jouer un son de test sur le haut-parleur</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Test microphone</source>
        <translation>Tester le microphone</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show the microphone level</source>
        <translation>Afficher le niveau du microphone</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Microphone level</source>
        <translation>Niveau du microphone</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Try them</source>
        <translation>Essayer</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>System default follows the desktop&apos;s choice. A device chosen here is used whenever it is connected; while it is away the system default stands in, and calls move back when it returns.</source>
        <translation>« Par défaut du système » suit le choix du bureau. Un appareil choisi ici est utilisé dès qu’il est branché ; en son absence, l’appareil par défaut prend le relais, et les appels reviennent sur lui dès son retour.</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+80"/>
        <source>Calls use no sound device in this session.</source>
        <translation>Les appels n’utilisent aucun périphérique audio dans cette session.</translation>
    </message>
    <message>
        <location line="-60"/>
        <source>%1 (not connected)</source>
        <translation>%1 (non branché)</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Playing a test sound on %1.</source>
        <translation>Son de test en cours sur %1.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the system default</source>
        <translation>le périphérique par défaut du système</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Could not play on this speaker: %1</source>
        <translation>Impossible de jouer sur ce haut-parleur : %1</translation>
    </message>
</context>
<context>
    <name>CallView</name>
    <message>
        <location filename="../ui/call_view.py" line="+77"/>
        <source>Other numbers</source>
        <translation>Autres numéros</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Call another number of this contact</source>
        <translation>Appeler un autre numéro de ce contact</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Call status</source>
        <translation>État de l’appel</translation>
    </message>
    <message>
        <location filename="../ui/call_quality.py" line="+27"/>
        <source>Call quality</source>
        <translation>Qualité de l’appel</translation>
    </message>
    <message>
        <location filename="../ui/call_view.py" line="+4"/>
        <source>Mute</source>
        <translation>Muet</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Mute the microphone (Ctrl+M)</source>
        <translation>Couper le microphone (Ctrl+M)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Hold</source>
        <translation>Attente</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Put the call on hold (Ctrl+H)</source>
        <translation>Mettre l’appel en attente (Ctrl+H)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Keypad</source>
        <translation>Clavier</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Send tones (DTMF)</source>
        <translation>Envoyer des tonalités (DTMF)</translation>
    </message>
    <message>
        <location filename="../ui/call_transfer.py" line="+53"/>
        <location filename="../ui/call_view.py" line="+2"/>
        <source>Transfer</source>
        <translation>Transférer</translation>
    </message>
    <message>
        <location filename="../ui/call_view.py" line="+0"/>
        <source>Transfer the call (Ctrl+T)</source>
        <translation>Transférer l’appel (Ctrl+T)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Add call</source>
        <translation>Ajouter un appel</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Hold this call and call someone else</source>
        <translation>Mettre cet appel en attente et appeler quelqu’un d’autre</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Merge</source>
        <translation>Fusionner</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Join all calls in a conference</source>
        <translation>Réunir tous les appels en conférence</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Audio</source>
        <translation>Audio</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Switch microphone or speaker</source>
        <translation>Changer de microphone ou de haut-parleur</translation>
    </message>
    <message>
        <location filename="../ui/call_recording.py" line="+86"/>
        <location filename="../ui/call_view.py" line="+6"/>
        <source>Record</source>
        <translation>Enregistrer</translation>
    </message>
    <message>
        <location filename="../ui/call_view.py" line="+1"/>
        <source>Record this call (both sides, kept encrypted on this computer)</source>
        <translation>Enregistrer cet appel (les deux interlocuteurs, conservé chiffré sur cet ordinateur)</translation>
    </message>
    <message>
        <location filename="../ui/call_audio.py" line="+72"/>
        <source>Microphone level</source>
        <translation>Niveau du microphone</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Speaker level</source>
        <translation>Niveau du haut-parleur</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mic</source>
        <translation>Micro</translation>
    </message>
    <message>
        <location line="-32"/>
        <location line="+33"/>
        <source>Speaker</source>
        <translation>Haut-parleur</translation>
    </message>
    <message>
        <location filename="../ui/call_view.py" line="+15"/>
        <location line="+2"/>
        <source>Tones sent</source>
        <translation>Tonalités envoyées</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Hang up (Ctrl+E)</source>
        <translation>Raccrocher (Ctrl+E)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hang up</source>
        <translation>Raccrocher</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Other calls</source>
        <translation>Autres appels</translation>
    </message>
    <message>
        <location line="+78"/>
        <source>Connected</source>
        <translation>En communication</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+36"/>
        <source>%1: %2</source>
        <translation>%1 : %2</translation>
    </message>
    <message>
        <location line="-30"/>
        <source>Call ended</source>
        <translation>Appel terminé</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Could not hang up</source>
        <translation>Impossible de raccrocher</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Could not change mute</source>
        <translation>Impossible de couper ou rétablir le micro</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Could not change hold</source>
        <translation>Impossible de changer la mise en attente</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Could not send the tone</source>
        <translation>Impossible d’envoyer la tonalité</translation>
    </message>
    <message>
        <location filename="../ui/call_transfer.py" line="-20"/>
        <source>Transfer to a number…</source>
        <translation>Transférer vers un numéro…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Park</source>
        <translation>Parquer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Park the call on the phone system (%1); pick it up from any phone</source>
        <translation>Parquer l’appel sur le système téléphonique (%1) ; reprenez-le depuis n’importe quel téléphone</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Transfer to %1 (attended)</source>
        <translation>Transférer à %1 (supervisé)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Transfer this call to:</source>
        <translation>Transférer cet appel vers :</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+5"/>
        <source>Transfer failed</source>
        <translation>Échec du transfert</translation>
    </message>
    <message>
        <location filename="../ui/call_view.py" line="+5"/>
        <source>Could not hold the call</source>
        <translation>Impossible de mettre l’appel en attente</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Could not merge the calls</source>
        <translation>Impossible de fusionner les appels</translation>
    </message>
    <message>
        <location filename="../ui/call_recording.py" line="-35"/>
        <source>Starting the recording…</source>
        <translation>Démarrage de l’enregistrement…</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Could not record the call: %1</source>
        <translation>Impossible d’enregistrer l’appel : %1</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Stop recording</source>
        <translation>Arrêter l’enregistrement</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>● Recording · %1</source>
        <translation>● Enregistrement · %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recording this call, %1</source>
        <translation>Enregistrement de cet appel, %1</translation>
    </message>
    <message>
        <location filename="../ui/call_audio.py" line="-42"/>
        <source>No sound device in use</source>
        <translation>Aucun périphérique audio utilisé</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Looking for devices…</source>
        <translation>Recherche des périphériques…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Microphone</source>
        <translation>Microphone</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Could not switch the device: %1</source>
        <translation>Impossible de changer de périphérique : %1</translation>
    </message>
    <message>
        <location filename="../ui/call_quality.py" line="+22"/>
        <source>Excellent</source>
        <translation>excellente</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Good</source>
        <translation>bonne</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Fair</source>
        <translation>moyenne</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Poor</source>
        <translation>mauvaise</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 quality · %2 · jitter %3 ms · loss %4 % · RTT %5 ms</source>
        <translation>Qualité %1 · %2 · gigue %3 ms · perte %4 % · RTT %5 ms</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Estimated MOS %1</source>
        <translation>MOS estimé %1</translation>
    </message>
    <message>
        <location filename="../ui/call_view.py" line="+20"/>
        <source>Unlock CallClient to see who is on the line</source>
        <translation>Déverrouillez CallClient pour voir votre correspondant</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Call %1</source>
        <translation>Appeler %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>another call</source>
        <translation>un autre appel</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Calling…</source>
        <translation>Appel en cours…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ringing…</source>
        <translation>Sonnerie…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>On hold · %1</source>
        <translation>En attente · %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Held by the other party · %1</source>
        <translation>Mis en attente par l’interlocuteur · %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Muted · %1</source>
        <translation>Micro coupé · %1</translation>
    </message>
</context>
<context>
    <name>CallsPage</name>
    <message>
        <location filename="../ui/settings/calls_page.py" line="+17"/>
        <location line="+48"/>
        <source>Like the system</source>
        <translation>Comme le système</translation>
    </message>
    <message>
        <location line="-47"/>
        <source>Light</source>
        <translation>Clair</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Dark</source>
        <translation>Sombre</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+11"/>
        <source>Codecs, in order of preference</source>
        <translation>Codecs, par ordre de préférence</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>Drag to reorder; untick to stop offering a codec</source>
        <translation>Faites glisser pour réordonner ; décochez pour ne plus proposer un codec</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>not set (for example FR or US)</source>
        <translation>non défini (par exemple FR ou US)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Phone number region</source>
        <translation>Région des numéros</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>none</source>
        <translation>aucun</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Outside-line prefix</source>
        <translation>Préfixe de ligne extérieure</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Emergency numbers (always dialled as typed)</source>
        <translation>Numéros d’urgence (toujours composés tels quels)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Keep running in the tray when the window closes</source>
        <translation>Rester dans la zone de notification quand la fenêtre se ferme</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Window</source>
        <translation>Fenêtre</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Appearance</source>
        <translation>Apparence</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Open windows keep their words until CallClient starts again</source>
        <translation>Les fenêtres ouvertes gardent leur langue jusqu’au prochain démarrage de CallClient</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Settings</source>
        <translation>Paramètres</translation>
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
        <translation>Contacts</translation>
    </message>
    <message>
        <location line="-57"/>
        <source>New contact…</source>
        <translation>Nouveau contact…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add a personal contact</source>
        <translation>Ajouter un contact personnel</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Import from CSV…</source>
        <translation>Importer un CSV…</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+206"/>
        <source>Import contacts from a CSV file</source>
        <translation>Importer des contacts depuis un fichier CSV</translation>
    </message>
    <message>
        <location line="-205"/>
        <source>Add the contacts of a CSV file (first line: firstname, lastname, number, mobile, email, company) to your personal contacts</source>
        <translation>Ajouter à vos contacts personnels les contacts d’un fichier CSV (première ligne : firstname, lastname, number, mobile, email, company)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Sources that could not answer</source>
        <translation>Sources qui n’ont pas pu répondre</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Results for “%1”</source>
        <translation>Résultats pour « %1 »</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Not searched: %1</source>
        <translation>Non consulté : %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Type a name or number in the search box: colleagues, the company directory, your contacts, favorites and recent calls are searched at once.</source>
        <translation>Tapez un nom ou un numéro dans la zone de recherche : collègues, annuaire de l’entreprise, vos contacts, favoris et appels récents sont consultés en une fois.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Searching %1…</source>
        <translation>Recherche dans %1…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nobody matches.</source>
        <translation>Aucun résultat.</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Call %1 (%2)</source>
        <translation>Appeler %1 (%2)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Call %1</source>
        <translation>Appeler %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Add to favorites</source>
        <translation>Ajouter aux favoris</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Add to contacts</source>
        <translation>Ajouter aux contacts</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Edit…</source>
        <translation>Modifier…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Pick up their call</source>
        <translation>Intercepter son appel</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>%1 saved in your contacts.</source>
        <translation>%1 enregistré dans vos contacts.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Could not delete %1: %2</source>
        <translation>Impossible de supprimer %1 : %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 deleted from your contacts.</source>
        <translation>%1 supprimé de vos contacts.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>Fichiers CSV (*.csv);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Contacts are not available here.</source>
        <translation>Les contacts ne sont pas disponibles ici.</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>click the lamp to pick it up</source>
        <translation>cliquez sur le voyant pour intercepter l’appel</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Pick up: %1</source>
        <translation>Interception : %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Could not pick up the call: %1</source>
        <translation>Impossible d’intercepter l’appel : %1</translation>
    </message>
</context>
<context>
    <name>DemoNumbers</name>
    <message>
        <location filename="../callclient/demo/far_ends.py" line="+66"/>
        <source>Echo test</source>
        <translation>Test d’écho</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recorded message</source>
        <translation>Message enregistré</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Voicemail box</source>
        <translation>Messagerie vocale</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Call me back</source>
        <translation>Rappelez-moi</translation>
    </message>
</context>
<context>
    <name>DesktopApp</name>
    <message>
        <location filename="../ui/main.py" line="+125"/>
        <source>CallClient cannot start</source>
        <translation>CallClient ne peut pas démarrer</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>The shortcut %1 for %2 is taken by another program: %3</source>
        <translation>Le raccourci %1 pour %2 est déjà pris par un autre programme : %3</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>CallClient %1 is available: %2</source>
        <translation>CallClient %1 est disponible : %2</translation>
    </message>
</context>
<context>
    <name>DesktopPage</name>
    <message>
        <location filename="../ui/settings/desktop_page.py" line="+21"/>
        <source>Answer</source>
        <translation>Répondre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hang up</source>
        <translation>Raccrocher</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mute or unmute</source>
        <translation>Couper ou rétablir le micro</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Redial</source>
        <translation>Rappeler le dernier numéro</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show the window</source>
        <translation>Afficher la fenêtre</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>answer</source>
        <translation>répondre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>hang up</source>
        <translation>raccrocher</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>mute</source>
        <translation>couper le micro</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>phone button</source>
        <translation>bouton téléphone</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Show calls, missed calls and voicemail as desktop notifications</source>
        <translation>Afficher appels, appels manqués et messages vocaux en notifications du bureau</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Notifications</source>
        <translation>Notifications</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not available in this session: %1</source>
        <translation>Non disponible dans cette session : %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Media keys and Bluetooth headset buttons answer and hang up</source>
        <translation>Les touches multimédia et les boutons du casque Bluetooth répondent et raccrochent</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Media keys</source>
        <translation>Touches multimédia</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start CallClient when I log in (in the tray)</source>
        <translation>Démarrer CallClient à l’ouverture de session (dans la zone de notification)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Start at login</source>
        <translation>Démarrage auto</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start minimised to the tray</source>
        <translation>Démarrer réduit dans la zone de notification</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open sip:, sips:, tel: and callto: links with CallClient</source>
        <translation>Ouvrir les liens sip:, sips:, tel: et callto: avec CallClient</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Links</source>
        <translation>Liens</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Global shortcuts (work while another window has focus)</source>
        <translation>Raccourcis globaux (actifs quand une autre fenêtre a le focus)</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Shortcut to %1</source>
        <translation>Raccourci pour %1</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>%1 shortcut</source>
        <translation>Raccourci « %1 »</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Headset buttons</source>
        <translation>Boutons du casque</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Tick the devices whose answer, hang-up and mute buttons drive calls</source>
        <translation>Cochez les appareils dont les boutons de réponse, de raccrochage et de sourdine pilotent les appels</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Look again</source>
        <translation>Actualiser</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Look for headsets again</source>
        <translation>Rechercher à nouveau les casques</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+1"/>
        <source>Devices that drive calls</source>
        <translation>Appareils qui pilotent les appels</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Not set: %1</source>
        <translation>Non défini : %1</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>%1 (not connected)</source>
        <translation>%1 (non connecté)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No headset with call buttons found</source>
        <translation>Aucun casque avec boutons d’appel trouvé</translation>
    </message>
</context>
<context>
    <name>Dialpad</name>
    <message>
        <location filename="../ui/dialpad.py" line="+59"/>
        <source>Number, extension or SIP address</source>
        <translation>Numéro, poste ou adresse SIP</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Number to call</source>
        <translation>Numéro à appeler</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Delete the last digit</source>
        <translation>Effacer le dernier chiffre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Backspace</source>
        <translation>Effacer</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Key %1</source>
        <translation>Touche %1</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Call (Enter); with an empty number, redial</source>
        <translation>Appeler (Entrée) ; sans numéro, rappelle le dernier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Call</source>
        <translation>Appeler</translation>
    </message>
</context>
<context>
    <name>DirectoryPage</name>
    <message>
        <location filename="../ui/settings/directory_page.py" line="+41"/>
        <source>Company directory</source>
        <translation>Annuaire de l’entreprise</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Search my phone system&apos;s directory and name callers from it</source>
        <translation>Rechercher dans l’annuaire de mon système téléphonique et y trouver le nom des appelants</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Phone system</source>
        <translation>Système téléphonique</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>LDAP server</source>
        <translation>Serveur LDAP</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Search base (DN)</source>
        <translation>Base de recherche (DN)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Bind as (DN)</source>
        <translation>Connexion en tant que (DN)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>empty: anonymous</source>
        <translation>vide : anonyme</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bind password</source>
        <translation>Mot de passe de connexion</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Upgrade ldap:// connections with StartTLS</source>
        <translation>Sécuriser les connexions ldap:// avec StartTLS</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Encryption</source>
        <translation>Chiffrement</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>My address book</source>
        <translation>Mon carnet d’adresses</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Names for callers and quick dial from your own contacts. Read only with your permission; the copy is kept encrypted and removed when you turn this off.</source>
        <translation>Noms des appelants et appel rapide depuis vos propres contacts. Lu seulement avec votre autorisation ; la copie est gardée chiffrée et supprimée quand vous désactivez cette option.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Use my address book</source>
        <translation>Utiliser mon carnet d’adresses</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Permission</source>
        <translation>Autorisation</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>vCard files or folders, separated by ;</source>
        <translation>Fichiers ou dossiers vCard, séparés par ;</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Folder…</source>
        <translation>Dossier…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose a folder of vCard files</source>
        <translation>Choisir un dossier de fichiers vCard</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>vCard files or folders</source>
        <translation>Fichiers ou dossiers vCard</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>vCard files</source>
        <translation>Fichiers vCard</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CardDAV address book</source>
        <translation>Carnet d’adresses CardDAV</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CardDAV user</source>
        <translation>Utilisateur CardDAV</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CardDAV password</source>
        <translation>Mot de passe CardDAV</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Directory status</source>
        <translation>État de l’annuaire</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>kept in the system keychain</source>
        <translation>gardé dans le trousseau du système</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no keychain available</source>
        <translation>aucun trousseau disponible</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+21"/>
        <source>saved in the system keychain</source>
        <translation>enregistré dans le trousseau du système</translation>
    </message>
    <message>
        <location line="-11"/>
        <location line="+14"/>
        <source>Directory</source>
        <translation>Annuaire</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Folder of vCard files</source>
        <translation>Dossier de fichiers vCard</translation>
    </message>
</context>
<context>
    <name>EditContactDialog</name>
    <message>
        <location filename="../ui/personal_contacts.py" line="-21"/>
        <source>Edit contact</source>
        <translation>Modifier le contact</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save the changes</source>
        <translation>Enregistrer les modifications</translation>
    </message>
</context>
<context>
    <name>FavoritesView</name>
    <message>
        <location filename="../ui/favorites_view.py" line="+57"/>
        <location line="+22"/>
        <source>Favorites</source>
        <translation>Favoris</translation>
    </message>
    <message>
        <location line="-18"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New favorite&apos;s name</source>
        <translation>Nom du nouveau favori</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Number or SIP address</source>
        <translation>Numéro ou adresse SIP</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New favorite&apos;s number</source>
        <translation>Numéro du nouveau favori</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add</source>
        <translation>Ajouter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add favorite</source>
        <translation>Ajouter le favori</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Remove</source>
        <translation>Retirer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove the selected favorite</source>
        <translation>Retirer le favori sélectionné</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pick up</source>
        <translation>Intercepter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pick up the selected colleague&apos;s ringing call</source>
        <translation>Intercepter l’appel qui sonne chez le collègue sélectionné</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Answer the call ringing for this colleague (pickup feature code)</source>
        <translation>Répondre à l’appel qui sonne chez ce collègue (code d’interception)</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Busy lamp legend</source>
        <translation>Légende des voyants d’occupation</translation>
    </message>
    <message>
        <location line="+22"/>
        <location line="+29"/>
        <source>Set up an account to keep favorites.</source>
        <translation>Configurez un compte pour garder des favoris.</translation>
    </message>
    <message>
        <location line="-13"/>
        <source>No favorites yet: add a name and a number above.</source>
        <translation>Aucun favori pour l’instant : ajoutez un nom et un numéro ci-dessus.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Favorites: %1</source>
        <translation>Favoris : %1</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>click the lamp or Pick up to answer it</source>
        <translation>cliquez sur le voyant ou sur « Intercepter » pour répondre</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Pick up: %1</source>
        <translation>Interception : %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Could not pick up the call: %1</source>
        <translation>Impossible d’intercepter l’appel : %1</translation>
    </message>
</context>
<context>
    <name>ForwardingBanner</name>
    <message>
        <location filename="../ui/forwarding.py" line="+31"/>
        <source>Call forwarding</source>
        <translation>Renvoi d’appel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Turn off</source>
        <translation>Désactiver</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Turn off call forwarding</source>
        <translation>Désactiver le renvoi d’appel</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Calls are forwarded to %1</source>
        <translation>Les appels sont renvoyés vers %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>another number</source>
        <translation>un autre numéro</translation>
    </message>
</context>
<context>
    <name>ForwardingMenu</name>
    <message>
        <location line="+27"/>
        <source>Call &amp;forwarding</source>
        <translation>Ren&amp;voi d’appel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Forward all calls to…</source>
        <translation>Renvoyer tous les appels vers…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stop forwarding all calls</source>
        <translation>Arrêter le renvoi de tous les appels</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Forward all calls</source>
        <translation>Renvoyer tous les appels</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Forward all calls to (number or extension):</source>
        <translation>Renvoyer tous les appels vers (numéro ou poste) :</translation>
    </message>
</context>
<context>
    <name>ForwardingPage</name>
    <message>
        <location filename="../ui/settings/forwarding_page.py" line="+36"/>
        <source>Forwarding is kept on the phone system: your desk phone and other apps follow it.</source>
        <translation>Le renvoi est gardé sur le système téléphonique : votre téléphone de bureau et vos autres applications le suivent.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Forward all calls</source>
        <translation>Renvoyer tous les appels</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Forward when busy</source>
        <translation>Renvoyer si occupé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Forward when not answered</source>
        <translation>Renvoyer si pas de réponse</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>number or extension</source>
        <translation>numéro ou poste</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: destination</source>
        <translation>%1 : destination</translation>
    </message>
    <message>
        <location line="+8"/>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ring time before forwarding when not answered</source>
        <translation>Durée de sonnerie avant renvoi si pas de réponse</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ring for</source>
        <translation>Durée de sonnerie</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Apply</source>
        <translation>Appliquer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Apply call forwarding</source>
        <translation>Appliquer le renvoi d’appel</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Forwarding status</source>
        <translation>État du renvoi</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Call forwarding is set on the phone system. Sign in to your Wazo phone system to set it here; with a SIP-only account, use your desk phone.</source>
        <translation>Le renvoi d’appel se règle sur le système téléphonique. Connectez-vous à votre système téléphonique Wazo pour le régler ici ; avec un compte SIP seul, utilisez votre téléphone de bureau.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Reading your forwarding from the phone system…</source>
        <translation>Lecture de votre renvoi sur le système téléphonique…</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Saving on the phone system…</source>
        <translation>Enregistrement sur le système téléphonique…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Saved on the phone system.</source>
        <translation>Enregistré sur le système téléphonique.</translation>
    </message>
</context>
<context>
    <name>HistoryView</name>
    <message>
        <location filename="../ui/history_view.py" line="+33"/>
        <source>History</source>
        <translation>Historique</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>All</source>
        <translation>Tous</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Missed</source>
        <translation>Manqués</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show all calls</source>
        <translation>Afficher tous les appels</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show missed calls</source>
        <translation>Afficher les appels manqués</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Refresh (F5)</source>
        <translation>Actualiser (F5)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh history</source>
        <translation>Actualiser l’historique</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Call history</source>
        <translation>Historique des appels</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Your phone system does not share call history with CallClient.</source>
        <translation>Votre système téléphonique ne partage pas l’historique des appels avec CallClient.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Loading…</source>
        <translation>Chargement…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>No calls yet.</source>
        <translation>Aucun appel pour l’instant.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Could not load the history: %1</source>
        <translation>Impossible de charger l’historique : %1</translation>
    </message>
</context>
<context>
    <name>ImportResultDialog</name>
    <message>
        <location filename="../ui/personal_contacts.py" line="+29"/>
        <source>Import contacts</source>
        <translation>Importer des contacts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Importing %1…</source>
        <translation>Importation de %1…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Lines that were not imported</source>
        <translation>Lignes non importées</translation>
    </message>
    <message numerus="yes">
        <location line="+10"/>
        <source>%n contact(s) imported into your personal contacts.</source>
        <translation>
            <numerusform>%n contact importé dans vos contacts personnels.</numerusform>
            <numerusform>%n contacts importés dans vos contacts personnels.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n line(s) not imported:</source>
        <translation>
            <numerusform>%n ligne non importée :</numerusform>
            <numerusform>%n lignes non importées :</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Line %1: %2</source>
        <translation>Ligne %1 : %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Nothing was imported: %1</source>
        <translation>Rien n’a été importé : %1</translation>
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
        <translation>Appel entrant</translation>
    </message>
    <message>
        <location line="-78"/>
        <source>Caller</source>
        <translation>Appelant</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Caller&apos;s number</source>
        <translation>Numéro de l’appelant</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Caller&apos;s title and company</source>
        <translation>Fonction et entreprise de l’appelant</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+2"/>
        <source>Answer</source>
        <translation>Répondre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Answer (Ctrl+Shift+A in the main window)</source>
        <translation>Répondre (Ctrl+Maj+A dans la fenêtre principale)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Hold and answer</source>
        <translation>Mettre en attente et répondre</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Hold the current call and answer</source>
        <translation>Mettre l’appel en cours en attente et répondre</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+2"/>
        <source>Decline</source>
        <translation>Refuser</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Unlock CallClient to see who is calling</source>
        <translation>Déverrouillez CallClient pour voir qui appelle</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Call waiting</source>
        <translation>Double appel</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1: %2</source>
        <translation>%1 : %2</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <location filename="../ui/lock_screen.py" line="+23"/>
        <location line="+2"/>
        <source>CallClient is locked</source>
        <translation>CallClient est verrouillé</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Confirm it is you to see your favorites, history, voicemail and contacts. Calls still ring and can be answered.</source>
        <translation>Confirmez votre identité pour voir vos favoris, l’historique, la messagerie vocale et les contacts. Les appels sonnent toujours et vous pouvez y répondre.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Unlock status</source>
        <translation>État du déverrouillage</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+48"/>
        <location line="+19"/>
        <source>Unlock</source>
        <translation>Déverrouiller</translation>
    </message>
    <message>
        <location line="-65"/>
        <source>Unlock CallClient</source>
        <translation>Déverrouiller CallClient</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel unlocking</source>
        <translation>Annuler le déverrouillage</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Emergency number</source>
        <translation>Numéro d’urgence</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+2"/>
        <source>Emergency call</source>
        <translation>Appel d’urgence</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Emergency numbers can be called while CallClient is locked.</source>
        <translation>Les numéros d’urgence restent joignables quand CallClient est verrouillé.</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Waiting for the system to confirm it is you…</source>
        <translation>En attente de la confirmation de votre identité par le système…</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Unlock (wait %1 s)</source>
        <translation>Déverrouiller (attendre %1 s)</translation>
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
        <translation>Sections</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Dialpad</source>
        <translation>Clavier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Favorites</source>
        <translation>Favoris</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>History</source>
        <translation>Historique</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Voicemail</source>
        <translation>Messagerie vocale</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contacts</source>
        <translation>Contacts</translation>
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
        <translation>Démarrage…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Registration state</source>
        <translation>État de l’enregistrement</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+1"/>
        <source>Do not disturb</source>
        <translation>Ne pas déranger</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refuse incoming calls as busy</source>
        <translation>Refuser les appels entrants comme « occupé »</translation>
    </message>
    <message>
        <location filename="../ui/main_window.py" line="+21"/>
        <location line="+6"/>
        <source>Search</source>
        <translation>Rechercher</translation>
    </message>
    <message>
        <location line="-2"/>
        <location line="+1"/>
        <source>Clear the search</source>
        <translation>Effacer la recherche</translation>
    </message>
    <message>
        <location filename="../ui/notices.py" line="+41"/>
        <source>Notice</source>
        <translation>Avis</translation>
    </message>
    <message>
        <location filename="../ui/main_window.py" line="+91"/>
        <source>Demo mode: try %1</source>
        <translation>Mode démo : essayez %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Demo numbers</source>
        <translation>Numéros de démo</translation>
    </message>
    <message>
        <location filename="../ui/window_lock.py" line="+130"/>
        <source>Unlock CallClient</source>
        <translation>Déverrouiller CallClient</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Only emergency numbers can be called while CallClient is locked.</source>
        <translation>Seuls les numéros d’urgence peuvent être appelés quand CallClient est verrouillé.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.py" line="+5"/>
        <source>&amp;CallClient</source>
        <translation>&amp;CallClient</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Settings…</source>
        <translation>&amp;Paramètres…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sign &amp;in…</source>
        <translation>Se &amp;connecter…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sign &amp;out</source>
        <translation>Se &amp;déconnecter</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>C&amp;all</source>
        <translation>&amp;Appel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Redial</source>
        <translation>&amp;Rappeler le dernier numéro</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Answer</source>
        <translation>&amp;Répondre</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Re&amp;cordings…</source>
        <translation>&amp;Enregistrements…</translation>
    </message>
    <message>
        <location filename="../ui/tray.py" line="+4"/>
        <source>Quick dial…</source>
        <translation>Appel rapide…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show CallClient</source>
        <translation>Afficher CallClient</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Quit</source>
        <translation>Quitter</translation>
    </message>
    <message>
        <location filename="../ui/window_lock.py" line="+9"/>
        <source>Unlock CallClient to call this number; emergency numbers can be called while locked.</source>
        <translation>Déverrouillez CallClient pour appeler ce numéro ; les numéros d’urgence restent joignables quand il est verrouillé.</translation>
    </message>
    <message>
        <location filename="../ui/answering.py" line="+62"/>
        <location line="+5"/>
        <source>Could not answer</source>
        <translation>Impossible de répondre</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Could not decline</source>
        <translation>Impossible de refuser</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Could not hang up</source>
        <translation>Impossible de raccrocher</translation>
    </message>
    <message>
        <location line="+6"/>
        <location filename="../ui/navigation.py" line="+61"/>
        <source>%1: %2</source>
        <translation>%1 : %2</translation>
    </message>
    <message>
        <location line="-34"/>
        <source>Incoming call</source>
        <translation>Appel entrant</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>Unlock CallClient to see who is calling</source>
        <translation>Déverrouillez CallClient pour voir qui appelle</translation>
    </message>
    <message>
        <location filename="../ui/main_window.py" line="-132"/>
        <source>Search colleagues, contacts, favorites and history (Ctrl+F)</source>
        <translation>Rechercher collègues, contacts, favoris et historique (Ctrl+F)</translation>
    </message>
    <message>
        <location line="+174"/>
        <source>%1 added to favorites.</source>
        <translation>%1 ajouté aux favoris.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 added to your contacts.</source>
        <translation>%1 ajouté à vos contacts.</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>Call to %1 ended: %2</source>
        <translation>L’appel vers %1 a pris fin : %2</translation>
    </message>
    <message>
        <location filename="../ui/notices.py" line="+50"/>
        <source>Missed call</source>
        <translation>Appel manqué</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unlock CallClient to see who called</source>
        <translation>Déverrouillez CallClient pour voir qui a appelé</translation>
    </message>
    <message>
        <location line="-24"/>
        <source>Call transferred.</source>
        <translation>Appel transféré.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The transfer did not go through: %1 (%2)</source>
        <translation>Le transfert n’a pas abouti : %1 (%2)</translation>
    </message>
    <message>
        <location filename="../ui/navigation.py" line="-2"/>
        <source>Could not change do not disturb</source>
        <translation>Impossible de modifier « Ne pas déranger »</translation>
    </message>
    <message>
        <location filename="../ui/tray.py" line="+13"/>
        <source>Do not disturb · %1</source>
        <translation>Ne pas déranger · %1</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Quick dial</source>
        <translation>Appel rapide</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Number to call:</source>
        <translation>Numéro à appeler :</translation>
    </message>
</context>
<context>
    <name>NavigationColumn</name>
    <message numerus="yes">
        <location filename="../ui/navigation.py" line="-25"/>
        <source>%1, %n new</source>
        <translation>
            <numerusform>%1, %n nouveau</numerusform>
            <numerusform>%1, %n nouveaux</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>NetworkPage</name>
    <message>
        <location filename="../ui/settings/network_page.py" line="+19"/>
        <source>Verify the server&apos;s certificate</source>
        <translation>Vérifier le certificat du serveur</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>TLS</source>
        <translation>TLS</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the system&apos;s trusted authorities</source>
        <translation>les autorités de confiance du système</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Certificate authorities</source>
        <translation>Autorités de certification</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>UDP %1 · TCP %2 · TLS %3</source>
        <translation>UDP %1 · TCP %2 · TLS %3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Local ports</source>
        <translation>Ports locaux</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+4"/>
        <source>none</source>
        <translation>aucun</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>STUN servers</source>
        <translation>Serveurs STUN</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>demo phone system (%1)</source>
        <translation>système téléphonique de démo (%1)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Phone system API</source>
        <translation>API du système téléphonique</translation>
    </message>
</context>
<context>
    <name>PrivacyPage</name>
    <message>
        <location filename="../ui/settings/privacy_page.py" line="+20"/>
        <source>CallClient keeps your accounts&apos; passwords in the system keychain and your favorites, settings and cached voicemail encrypted on this computer. Erasing removes all of it and quits.</source>
        <translation>CallClient garde les mots de passe de vos comptes dans le trousseau du système, et vos favoris, paramètres et messages vocaux en cache chiffrés sur cet ordinateur. L’effacement supprime tout cela et quitte l’application.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Erase my data…</source>
        <translation>Effacer mes données…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Erase all my data from this computer</source>
        <translation>Effacer toutes mes données de cet ordinateur</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Lock CallClient when the computer locks or after a while unused</source>
        <translation>Verrouiller CallClient quand l’ordinateur se verrouille ou après un moment d’inactivité</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Lock CallClient</source>
        <translation>Verrouiller CallClient</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not offered here.</source>
        <translation>Non proposé ici.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The app lock is not available: %1</source>
        <translation>Le verrouillage n’est pas disponible : %1</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>after %n minutes without use</source>
        <translation>
            <numerusform>après %n minute d’inactivité</numerusform>
            <numerusform>après %n minutes d’inactivité</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>only when the computer locks</source>
        <translation>seulement quand l’ordinateur se verrouille</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Your system confirms it is you (fingerprint, face or password) before favorites, history, voicemail and contacts show again; CallClient never sees your fingerprint or password. It locks %1. Calls still ring and emergency numbers can always be called.</source>
        <translation>Votre système confirme votre identité (empreinte, visage ou mot de passe) avant de réafficher favoris, historique, messagerie vocale et contacts ; CallClient ne voit jamais votre empreinte ni votre mot de passe. Le verrouillage se fait %1. Les appels sonnent toujours et les numéros d’urgence restent joignables.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>App lock</source>
        <translation>Verrouillage</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Erase my data</source>
        <translation>Effacer mes données</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove every password, favorite, setting and cached voicemail of CallClient from this computer, and quit?</source>
        <translation>Supprimer de cet ordinateur tous les mots de passe, favoris, paramètres et messages vocaux en cache de CallClient, puis quitter ?</translation>
    </message>
</context>
<context>
    <name>RecordingsDialog</name>
    <message>
        <location filename="../ui/recordings_view.py" line="+43"/>
        <location line="+3"/>
        <source>Call recordings</source>
        <translation>Enregistrements d’appels</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Recordings status</source>
        <translation>État des enregistrements</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+89"/>
        <location line="+11"/>
        <source>Play</source>
        <translation>Écouter</translation>
    </message>
    <message>
        <location line="-99"/>
        <source>Play or pause the recording</source>
        <translation>Écouter l’enregistrement ou le mettre en pause</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export WAV…</source>
        <translation>Exporter en WAV…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export Opus…</source>
        <translation>Exporter en Opus…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ogg Opus: about a tenth of the WAV&apos;s size</source>
        <translation>Ogg Opus : environ un dixième de la taille du WAV</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+122"/>
        <source>Delete the recording</source>
        <translation>Supprimer l’enregistrement</translation>
    </message>
    <message>
        <location line="-92"/>
        <source>No call recordings on this computer.</source>
        <translation>Aucun enregistrement d’appel sur cet ordinateur.</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Opening the recording…</source>
        <translation>Ouverture de l’enregistrement…</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>WAV audio (*.wav)</source>
        <translation>Audio WAV (*.wav)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Ogg Opus audio (*.opus *.ogg)</source>
        <translation>Audio Ogg Opus (*.opus *.ogg)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export the recording</source>
        <translation>Exporter l’enregistrement</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Exporting…</source>
        <translation>Exportation…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Exported to %1</source>
        <translation>Exporté vers %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Delete this call recording from this computer? It cannot be brought back.</source>
        <translation>Supprimer cet enregistrement d’appel de cet ordinateur ? Il ne pourra pas être récupéré.</translation>
    </message>
</context>
<context>
    <name>RefusedCallsPanel</name>
    <message numerus="yes">
        <location filename="../ui/refused_calls.py" line="+7"/>
        <source>%n more</source>
        <translation>
            <numerusform>%n autre</numerusform>
            <numerusform>%n autres</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../ui/settings/common.py" line="+20"/>
        <location line="+5"/>
        <source>default</source>
        <translation>par défaut</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>locked by your administrator</source>
        <translation>verrouillé par votre administrateur</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>set by %1</source>
        <translation>défini par %1</translation>
    </message>
    <message>
        <location filename="../ui/settings/dialog.py" line="+32"/>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Settings sections</source>
        <translation>Sections des paramètres</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accounts</source>
        <translation>Comptes</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Audio</source>
        <translation>Audio</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Calls and codecs</source>
        <translation>Appels et codecs</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Directory</source>
        <translation>Annuaire</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Desktop</source>
        <translation>Bureau</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Forwarding</source>
        <translation>Renvoi</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Network</source>
        <translation>Réseau</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Privacy</source>
        <translation>Confidentialité</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>About</source>
        <translation>À propos</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Close settings</source>
        <translation>Fermer les paramètres</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../ui/settings/common.py" line="+19"/>
        <source>Where %1 comes from</source>
        <translation>Origine de %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1: %2</source>
        <translation>%1 : %2</translation>
    </message>
</context>
<context>
    <name>SignInWindow</name>
    <message>
        <location filename="../ui/sign_in.py" line="+35"/>
        <source>Sign in to CallClient</source>
        <translation>Connexion à CallClient</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Welcome to CallClient</source>
        <translation>Bienvenue dans CallClient</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sign in with your work email, or set up a SIP account by hand.</source>
        <translation>Connectez-vous avec votre e-mail professionnel, ou configurez un compte SIP manuellement.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>How to sign in</source>
        <translation>Mode de connexion</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Email and password</source>
        <translation>E-mail et mot de passe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SIP account</source>
        <translation>Compte SIP</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sign-in status</source>
        <translation>État de la connexion</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Phone system address</source>
        <translation>Adresse du système téléphonique</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Set by %1</source>
        <translation>Défini par %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Demo phone system</source>
        <translation>Système téléphonique de démo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your administrator sets the phone system&apos;s address.</source>
        <translation>Votre administrateur définit l’adresse du système téléphonique.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>name@company.com</source>
        <translation>nom@entreprise.fr</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+12"/>
        <source>Email</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location line="-9"/>
        <location line="+10"/>
        <location line="+48"/>
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
    <message>
        <location line="-56"/>
        <location line="+2"/>
        <source>Sign in</source>
        <translation>Se connecter</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Phone system</source>
        <translation>Système téléphonique</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Enter your email and your password.</source>
        <translation>Saisissez votre e-mail et votre mot de passe.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Signing in…</source>
        <translation>Connexion…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Signed in as %1.</source>
        <translation>Connecté en tant que %1.</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+20"/>
        <source>Your name</source>
        <translation>Votre nom</translation>
    </message>
    <message>
        <location line="-18"/>
        <source>1001</source>
        <translation>1001</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User or extension</source>
        <translation>Utilisateur ou poste</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>pbx.company.com</source>
        <translation>pbx.entreprise.fr</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SIP domain</source>
        <translation>Domaine SIP</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>SIP password</source>
        <translation>Mot de passe SIP</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>optional: host[:port]</source>
        <translation>facultatif : hôte[:port]</translation>
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
        <translation>Enregistrer et se connecter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save the SIP account and connect</source>
        <translation>Enregistrer le compte SIP et se connecter</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>User</source>
        <translation>Utilisateur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Domain</source>
        <translation>Domaine</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Enter at least the user and the domain.</source>
        <translation>Saisissez au moins l’utilisateur et le domaine.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Connecting…</source>
        <translation>Connexion…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Account saved.</source>
        <translation>Compte enregistré.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Could not sign in: %1</source>
        <translation>Connexion impossible : %1</translation>
    </message>
</context>
<context>
    <name>SipStatus</name>
    <message>
        <location filename="../ui/sip_words.py" line="+14"/>
        <source>not allowed</source>
        <translation>non autorisé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>number not found</source>
        <translation>numéro introuvable</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no answer</source>
        <translation>pas de réponse</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>number no longer in service</source>
        <translation>numéro qui n’est plus attribué</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not reachable right now</source>
        <translation>injoignable pour le moment</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>incomplete number</source>
        <translation>numéro incomplet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>busy</source>
        <translation>occupé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cancelled</source>
        <translation>annulé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the other phone cannot handle this call&apos;s audio</source>
        <translation>le téléphone de l’interlocuteur ne prend pas en charge l’audio de cet appel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the phone system had an error</source>
        <translation>le système téléphonique a rencontré une erreur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the phone system could not reach the other side</source>
        <translation>le système téléphonique n’a pas pu joindre le correspondant</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>service unavailable</source>
        <translation>service indisponible</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the phone system did not answer in time</source>
        <translation>le système téléphonique n’a pas répondu à temps</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>busy everywhere</source>
        <translation>occupé partout</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>declined</source>
        <translation>refusé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>number does not exist</source>
        <translation>numéro inexistant</translation>
    </message>
</context>
<context>
    <name>SystemTray</name>
    <message numerus="yes">
        <location filename="../ui/tray.py" line="-24"/>
        <source>%n missed</source>
        <translation>
            <numerusform>%n appel manqué</numerusform>
            <numerusform>%n appels manqués</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n refused</source>
        <translation>
            <numerusform>%n appel refusé</numerusform>
            <numerusform>%n appels refusés</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n voicemail</source>
        <translation>
            <numerusform>%n message vocal</numerusform>
            <numerusform>%n messages vocaux</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>VoicemailView</name>
    <message>
        <location filename="../ui/voicemail_view.py" line="+54"/>
        <source>Voicemail</source>
        <translation>Messagerie vocale</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Refresh</source>
        <translation>Actualiser</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh voicemail</source>
        <translation>Actualiser la messagerie vocale</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Voicemail messages</source>
        <translation>Messages vocaux</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+131"/>
        <source>Choose a message to play it.</source>
        <translation>Choisissez un message pour l’écouter.</translation>
    </message>
    <message>
        <location line="-128"/>
        <source>Selected message</source>
        <translation>Message sélectionné</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+158"/>
        <source>Play</source>
        <translation>Écouter</translation>
    </message>
    <message>
        <location line="-157"/>
        <source>Play or pause the message</source>
        <translation>Écouter le message ou le mettre en pause</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Position in the message</source>
        <translation>Position dans le message</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Elapsed and total time</source>
        <translation>Temps écoulé et durée totale</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Call back</source>
        <translation>Rappeler</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Call the caller back</source>
        <translation>Rappeler l’appelant</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete the message</source>
        <translation>Supprimer le message</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Your phone system keeps voicemail on the server: call %1 to listen.</source>
        <translation>Votre système téléphonique garde la messagerie vocale sur le serveur : appelez le %1 pour l’écouter.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Your phone system does not share voicemail with CallClient.</source>
        <translation>Votre système téléphonique ne partage pas la messagerie vocale avec CallClient.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Loading…</source>
        <translation>Chargement…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>No voicemail.</source>
        <translation>Aucun message vocal.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Could not load voicemail: %1</source>
        <translation>Impossible de charger la messagerie vocale : %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Loading the message from %1…</source>
        <translation>Chargement du message de %1…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No phone system is set up.</source>
        <translation>Aucun système téléphonique n’est configuré.</translation>
    </message>
    <message>
        <location line="+23"/>
        <location line="+26"/>
        <source>Could not play the message: %1</source>
        <translation>Impossible d’écouter le message : %1</translation>
    </message>
    <message>
        <location line="-16"/>
        <source>Unlock CallClient to see this message.</source>
        <translation>Déverrouillez CallClient pour voir ce message.</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Could not mark the message read: %1</source>
        <translation>Impossible de marquer le message comme écouté : %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Could not delete the message: %1</source>
        <translation>Impossible de supprimer le message : %1</translation>
    </message>
</context>
<context>
    <name>confirm</name>
    <message>
        <location filename="../ui/confirm.py" line="+41"/>
        <source>Call outside your organisation?</source>
        <translation>Appeler hors de votre organisation ?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This address is outside your account&apos;s domain. The call will not go through your organisation&apos;s phone system.

%1

Call it?</source>
        <translation>Cette adresse est hors du domaine de votre compte. L’appel ne passera pas par le système téléphonique de votre organisation.

%1

L’appeler ?</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Could not call %1: %2</source>
        <translation>Impossible d’appeler %1 : %2</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../ui/main.py" line="+30"/>
        <source>Starting CallClient…</source>
        <translation>Démarrage de CallClient…</translation>
    </message>
</context>
</TS>
