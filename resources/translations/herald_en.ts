<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>ComposePage</name>
    <message>
        <source>Compose</source>
        <translation>Compose</translation>
    </message>
    <message>
        <source>Sending &amp;account:</source>
        <translation>Sending &amp;account:</translation>
    </message>
    <message>
        <source>&amp;Manage…</source>
        <translation>&amp;Manage…</translation>
    </message>
    <message>
        <source>Manage SMTP profiles</source>
        <translation>Manage SMTP profiles</translation>
    </message>
    <message>
        <source>&amp;From:</source>
        <translation>&amp;From:</translation>
    </message>
    <message>
        <source>Shop Name &lt;news@example.com&gt;</source>
        <translation>Shop Name &lt;news@example.com&gt;</translation>
    </message>
    <message>
        <source>Re&amp;ply-To:</source>
        <translation>Re&amp;ply-To:</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>optional</translation>
    </message>
    <message>
        <source>&amp;Subject:</source>
        <translation>&amp;Subject:</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Subject</translation>
    </message>
    <message>
        <source>Your order #{{ Order }} has shipped</source>
        <translation>Your order #{{ Order }} has shipped</translation>
    </message>
    <message>
        <source>Body &amp;format:</source>
        <translation>Body &amp;format:</translation>
    </message>
    <message>
        <source>HTML</source>
        <translation>HTML</translation>
    </message>
    <message>
        <source>Markdown</source>
        <translation>Markdown</translation>
    </message>
    <message>
        <source>Plain text</source>
        <translation>Plain text</translation>
    </message>
    <message>
        <source>&amp;Body:</source>
        <translation>&amp;Body:</translation>
    </message>
    <message>
        <source>Message body</source>
        <translation>Message body</translation>
    </message>
    <message>
        <source>Separate &amp;plain-text body (otherwise made from the HTML)</source>
        <translation>Separate &amp;plain-text body (otherwise made from the HTML)</translation>
    </message>
    <message>
        <source>Plain-text body</source>
        <translation>Plain-text body</translation>
    </message>
    <message>
        <source>Fields</source>
        <translation>Fields</translation>
    </message>
    <message>
        <source>Fields: double-click or press Enter to insert</source>
        <translation>Fields: double-click or press Enter to insert</translation>
    </message>
    <message>
        <source>Double-click (or Enter) inserts the field where the cursor is.</source>
        <translation>Double-click (or Enter) inserts the field where the cursor is.</translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation>Attachments</translation>
    </message>
    <message>
        <source>Files attached to every message</source>
        <translation>Files attached to every message</translation>
    </message>
    <message>
        <source>&amp;Add files…</source>
        <translation>&amp;Add files…</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Remove</translation>
    </message>
    <message>
        <source>Per-row files from &amp;column:</source>
        <translation>Per-row files from &amp;column:</translation>
    </message>
    <message>
        <source>Attachment column</source>
        <translation>Attachment column</translation>
    </message>
    <message>
        <source>Allowe&amp;d folders:</source>
        <translation>Allowe&amp;d folders:</translation>
    </message>
    <message>
        <source>Files are attached only from these folders: the workbook&apos;s, the campaign file&apos;s, and the ones you allow. A path in the workbook that leads anywhere else is refused.</source>
        <translation>Files are attached only from these folders: the workbook&apos;s, the campaign file&apos;s, and the ones you allow. A path in the workbook that leads anywhere else is refused.</translation>
    </message>
    <message>
        <source>Allowed attachment folders</source>
        <translation>Allowed attachment folders</translation>
    </message>
    <message>
        <source>A&amp;llow folder…</source>
        <translation>A&amp;llow folder…</translation>
    </message>
    <message>
        <source>Remo&amp;ve folder</source>
        <translation>Remo&amp;ve folder</translation>
    </message>
    <message>
        <source>Add a List-&amp;Unsubscribe header</source>
        <translation>Add a List-&amp;Unsubscribe header</translation>
    </message>
    <message>
        <source>unsubscribe@example.com</source>
        <translation>unsubscribe@example.com</translation>
    </message>
    <message>
        <source>Unsubscribe address</source>
        <translation>Unsubscribe address</translation>
    </message>
    <message>
        <source>One-click link (optional): https://…/unsubscribe?u={email}</source>
        <translation>One-click link (optional): https://…/unsubscribe?u={email}</translation>
    </message>
    <message>
        <source>One-click unsubscribe link</source>
        <translation>One-click unsubscribe link</translation>
    </message>
    <message>
        <source>Gmail and Yahoo show an Unsubscribe button that calls this https link. {email} becomes each recipient&apos;s address.</source>
        <translation>Gmail and Yahoo show an Unsubscribe button that calls this https link. {email} becomes each recipient&apos;s address.</translation>
    </message>
    <message>
        <source>Template check</source>
        <translation>Template check</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>Sending account</source>
        <translation>Sending account</translation>
    </message>
    <message>
        <source>Attach files</source>
        <translation>Attach files</translation>
    </message>
    <message>
        <source>Allowed by you</source>
        <translation>Allowed by you</translation>
    </message>
    <message>
        <source>The workbook&apos;s or campaign file&apos;s folder</source>
        <translation>The workbook&apos;s or campaign file&apos;s folder</translation>
    </message>
    <message>
        <source>Allow attachments from folder</source>
        <translation>Allow attachments from folder</translation>
    </message>
    <message>
        <source>`{name}` is not a column. Columns: {columns}</source>
        <translation>`{name}` is not a column. Columns: {columns}</translation>
    </message>
    <message>
        <source>The subject is empty.</source>
        <translation>The subject is empty.</translation>
    </message>
    <message>
        <source>Fill in From: the sender&apos;s name and address.</source>
        <translation>Fill in From: the sender&apos;s name and address.</translation>
    </message>
    <message>
        <source>The template is fine.</source>
        <translation>The template is fine.</translation>
    </message>
    <message>
        <source>Checking the template…</source>
        <translation>Checking the template…</translation>
    </message>
    <message>
        <source>{name} (not saved on this computer)</source>
        <translation>{name} (not saved on this computer)</translation>
    </message>
</context>
<context>
    <name>DoNotEmailDialog</name>
    <message>
        <source>bounced (hard)</source>
        <translation>bounced (hard)</translation>
    </message>
    <message>
        <source>asked to unsubscribe</source>
        <translation>asked to unsubscribe</translation>
    </message>
    <message>
        <source>added by you</source>
        <translation>added by you</translation>
    </message>
    <message>
        <source>imported</source>
        <translation>imported</translation>
    </message>
    <message>
        <source>Herald never sends to these addresses, in any campaign. Hard bounces and unsubscribe requests are added by Read bounces… on the Report page; remove an address to send to it again.</source>
        <translation>Herald never sends to these addresses, in any campaign. Hard bounces and unsubscribe requests are added by Read bounces… on the Report page; remove an address to send to it again.</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Why</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>Added</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>Addresses on the do-not-email list</source>
        <translation>Addresses on the do-not-email list</translation>
    </message>
    <message>
        <source>name@example.com (several: separate with commas)</source>
        <translation>name@example.com (several: separate with commas)</translation>
    </message>
    <message>
        <source>Addresses to add</source>
        <translation>Addresses to add</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>&amp;Add</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Remove</translation>
    </message>
    <message>
        <source>&amp;Import CSV…</source>
        <translation>&amp;Import CSV…</translation>
    </message>
    <message>
        <source>Do-not-email list</source>
        <translation>Do-not-email list</translation>
    </message>
    <message>
        <source>{n} addresses ({path}).</source>
        <translation>{n} addresses ({path}).</translation>
    </message>
    <message>
        <source>The list could not be saved: {reason}</source>
        <translation>The list could not be saved: {reason}</translation>
    </message>
    <message>
        <source>Not an e-mail address: {text}</source>
        <translation>Not an e-mail address: {text}</translation>
    </message>
    <message>
        <source>added in the window</source>
        <translation>added in the window</translation>
    </message>
    <message>
        <source>Added {added} of {n} (the others were listed already).</source>
        <translation>Added {added} of {n} (the others were listed already).</translation>
    </message>
    <message>
        <source>Every address given is on the list already.</source>
        <translation>Every address given is on the list already.</translation>
    </message>
    <message>
        <source>Removed {n}: they may be sent to again.</source>
        <translation>Removed {n}: they may be sent to again.</translation>
    </message>
    <message>
        <source>Import addresses</source>
        <translation>Import addresses</translation>
    </message>
    <message>
        <source>CSV or text (*.csv *.txt);;All files (*)</source>
        <translation>CSV or text (*.csv *.txt);;All files (*)</translation>
    </message>
    <message>
        <source>Added {n} new addresses from {name}.</source>
        <translation>Added {n} new addresses from {name}.</translation>
    </message>
    <message>
        <source>No new addresses in {name}.</source>
        <translation>No new addresses in {name}.</translation>
    </message>
</context>
<context>
    <name>FoundColumns</name>
    <message>
        <source>Bcc column “{column}” adds {count} hidden recipient(s) on {rows} row(s)</source>
        <translation>Bcc column “{column}” adds {count} hidden recipient(s) on {rows} row(s)</translation>
    </message>
    <message>
        <source>Cc column “{column}” adds {count} Cc recipient(s) on {rows} row(s)</source>
        <translation>Cc column “{column}” adds {count} Cc recipient(s) on {rows} row(s)</translation>
    </message>
    <message>
        <source>Reply-To column “{column}” sends replies elsewhere on {rows} row(s)</source>
        <translation>Reply-To column “{column}” sends replies elsewhere on {rows} row(s)</translation>
    </message>
    <message>
        <source>(found by its header)</source>
        <translation>(found by its header)</translation>
    </message>
    <message>
        <source>Columns found by their headers</source>
        <translation>Columns found by their headers</translation>
    </message>
    <message>
        <source>Herald found these columns by their headers, and will use them:

{lines}

Send with them? To leave one out, choose “(none)” for it on the Recipients page.</source>
        <translation>Herald found these columns by their headers, and will use them:

{lines}

Send with them? To leave one out, choose “(none)” for it on the Recipients page.</translation>
    </message>
</context>
<context>
    <name>ImapServerDialog</name>
    <message>
        <source>Which server holds the mailbox of {account}? Herald reads it over IMAP, read-only, with the profile&apos;s saved password. Ask your provider or look in its help pages (for example imap.example.com, port 993).</source>
        <translation>Which server holds the mailbox of {account}? Herald reads it over IMAP, read-only, with the profile&apos;s saved password. Ask your provider or look in its help pages (for example imap.example.com, port 993).</translation>
    </message>
    <message>
        <source>TLS (usually port 993)</source>
        <translation>TLS (usually port 993)</translation>
    </message>
    <message>
        <source>STARTTLS (usually port 143)</source>
        <translation>STARTTLS (usually port 143)</translation>
    </message>
    <message>
        <source>IMAP &amp;server:</source>
        <translation>IMAP &amp;server:</translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation>&amp;Port:</translation>
    </message>
    <message>
        <source>S&amp;ecurity:</source>
        <translation>S&amp;ecurity:</translation>
    </message>
    <message>
        <source>Mailbox server</source>
        <translation>Mailbox server</translation>
    </message>
    <message>
        <source>Fill in the IMAP server&apos;s name.</source>
        <translation>Fill in the IMAP server&apos;s name.</translation>
    </message>
</context>
<context>
    <name>Log</name>
    <message>
        <source>{count} failed recipients queued again</source>
        <translation>{count} failed recipients queued again</translation>
    </message>
    <message>
        <source>{count} recipients of unknown delivery queued again</source>
        <translation>{count} recipients of unknown delivery queued again</translation>
    </message>
    <message>
        <source>Report with {count} rows written to {path}</source>
        <translation>Report with {count} rows written to {path}</translation>
    </message>
    <message>
        <source>Ignoring unreadable rates {rates}</source>
        <translation>Ignoring unreadable rates {rates}</translation>
    </message>
    <message>
        <source>Sending {count} messages through {account}</source>
        <translation>Sending {count} messages through {account}</translation>
    </message>
    <message>
        <source>Row {row} is not sent: {error}</source>
        <translation>Row {row} is not sent: {error}</translation>
    </message>
    <message>
        <source>Sending cancelled by you; {n} recipients not sent yet</source>
        <translation>Sending cancelled by you; {n} recipients not sent yet</translation>
    </message>
    <message>
        <source>Cancelling at your request: messages already on their way finish first</source>
        <translation>Cancelling at your request: messages already on their way finish first</translation>
    </message>
    <message>
        <source>Opened campaign {path}</source>
        <translation>Opened campaign {path}</translation>
    </message>
    <message>
        <source>New campaign</source>
        <translation>New campaign</translation>
    </message>
    <message>
        <source>Read {count} rows from {file}</source>
        <translation>Read {count} rows from {file}</translation>
    </message>
    <message>
        <source>Reading {path} in a child process failed ({error}); reading it here</source>
        <translation>Reading {path} in a child process failed ({error}); reading it here</translation>
    </message>
    <message>
        <source>Saved campaign {path}</source>
        <translation>Saved campaign {path}</translation>
    </message>
    <message>
        <source>Could not read {path}</source>
        <translation>Could not read {path}</translation>
    </message>
    <message>
        <source>A background task failed</source>
        <extracomment>A row still rendering after this long on the loop is finished in a worker thread (within the template&apos;s own 2 s budget, app.core.templates.limits): a slow template cannot freeze the window. Rendering is Python work, so the thread slows the loop, but it keeps turning.</extracomment>
        <translation>A background task failed</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Error</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>Warning</translation>
    </message>
    <message>
        <source>Info</source>
        <translation>Info</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>no limit</translation>
    </message>
    <message>
        <source>{n}/min</source>
        <translation>{n}/min</translation>
    </message>
    <message>
        <source>{n}/h</source>
        <translation>{n}/h</translation>
    </message>
    <message>
        <source>{n}/day</source>
        <translation>{n}/day</translation>
    </message>
    <message>
        <source>{provider} allows at most {cap}; your setting ({asked}) was lowered to {cap}.</source>
        <translation>{provider} allows at most {cap}; your setting ({asked}) was lowered to {cap}.</translation>
    </message>
    <message>
        <source>{provider} does not publish this limit; Herald suggests {cap}. With {asked} the server may refuse or block the account.</source>
        <translation>{provider} does not publish this limit; Herald suggests {cap}. With {asked} the server may refuse or block the account.</translation>
    </message>
    <message>
        <source>{provider} allows at most {cap} connections at once; {asked} was lowered to {cap}.</source>
        <translation>{provider} allows at most {cap} connections at once; {asked} was lowered to {cap}.</translation>
    </message>
    <message>
        <source>{provider} suggests at most {cap} connections at once.</source>
        <translation>{provider} suggests at most {cap} connections at once.</translation>
    </message>
    <message>
        <source>Started the campaign over; the old journal was kept as {path}</source>
        <translation>Started the campaign over; the old journal was kept as {path}</translation>
    </message>
    <message>
        <source>Test: sending {count} messages to the local test outbox</source>
        <translation>Test: sending {count} messages to the local test outbox</translation>
    </message>
    <message>
        <source>next attempt {when}</source>
        <extracomment>After a deferred recipient&apos;s reason: when that one address is tried again.</extracomment>
        <translation>next attempt {when}</translation>
    </message>
</context>
<context>
    <name>LogModel</name>
    <message>
        <source>sent</source>
        <translation>sent</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>failed</translation>
    </message>
    <message>
        <source>not sent</source>
        <translation>not sent</translation>
    </message>
    <message>
        <source>deferred</source>
        <translation>deferred</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unknown</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>waiting</translation>
    </message>
    <message>
        <source>connections</source>
        <translation>connections</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>paused</translation>
    </message>
    <message>
        <source>resumed</source>
        <translation>resumed</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>stopped</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>Server reply</source>
        <translation>Server reply</translation>
    </message>
</context>
<context>
    <name>MailboxAccess</name>
    <message>
        <source>The campaign sends to the local test outbox: there is no mailbox to read.</source>
        <translation>The campaign sends to the local test outbox: there is no mailbox to read.</translation>
    </message>
    <message>
        <source>The account “{name}” is not saved on this computer.</source>
        <translation>The account “{name}” is not saved on this computer.</translation>
    </message>
    <message>
        <source>The account “{name}” has no login name.</source>
        <translation>The account “{name}” has no login name.</translation>
    </message>
    <message>
        <source>The account “{name}” signs in with OAuth, and Herald cannot read a mailbox with an OAuth sign-in yet: read its bounces in your mail program for now.</source>
        <translation>The account “{name}” signs in with OAuth, and Herald cannot read a mailbox with an OAuth sign-in yet: read its bounces in your mail program for now.</translation>
    </message>
    <message>
        <source>No password is saved for {user}: type it in File › SMTP profiles… and save (it goes to the system keychain). The mailbox uses the same password or authorization code (授权码) as sending.</source>
        <translation>No password is saved for {user}: type it in File › SMTP profiles… and save (it goes to the system keychain). The mailbox uses the same password or authorization code (授权码) as sending.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Recipients</source>
        <translation>Recipients</translation>
    </message>
    <message>
        <source>Compose</source>
        <translation>Compose</translation>
    </message>
    <message>
        <source>Preview &amp;&amp; test</source>
        <translation>Preview &amp;&amp; test</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Send</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>Report</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>Steps</translation>
    </message>
    <message>
        <source>Current step</source>
        <translation>Current step</translation>
    </message>
    <message>
        <source>&lt; &amp;Back</source>
        <translation>&lt; &amp;Back</translation>
    </message>
    <message>
        <source>&amp;Next &gt;</source>
        <translation>&amp;Next &gt;</translation>
    </message>
    <message>
        <source>Previous step</source>
        <translation>Previous step</translation>
    </message>
    <message>
        <source>Next step</source>
        <translation>Next step</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Log</translation>
    </message>
    <message>
        <source>Log messages</source>
        <translation>Log messages</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>&amp;New campaign…</source>
        <translation>&amp;New campaign…</translation>
    </message>
    <message>
        <source>&amp;Open campaign…</source>
        <translation>&amp;Open campaign…</translation>
    </message>
    <message>
        <source>Open &amp;workbook…</source>
        <translation>Open &amp;workbook…</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>Open &amp;recent</translation>
    </message>
    <message>
        <source>Open the &amp;demo campaign</source>
        <translation>Open the &amp;demo campaign</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <source>Save &amp;as…</source>
        <translation>Save &amp;as…</translation>
    </message>
    <message>
        <source>SMTP &amp;profiles…</source>
        <translation>SMTP &amp;profiles…</translation>
    </message>
    <message>
        <source>&amp;Do-not-email list…</source>
        <translation>&amp;Do-not-email list…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>Show &amp;log</source>
        <translation>Show &amp;log</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>&amp;Theme</translation>
    </message>
    <message>
        <source>Follow the &amp;system</source>
        <translation>Follow the &amp;system</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>&amp;Light</translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation>&amp;Dark</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>&amp;About Herald</source>
        <translation>&amp;About Herald</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>About &amp;Qt</translation>
    </message>
    <message>
        <source>Open campaign</source>
        <translation>Open campaign</translation>
    </message>
    <message>
        <source>Herald campaign (*.toml)</source>
        <translation>Herald campaign (*.toml)</translation>
    </message>
    <message>
        <source>Herald cannot open {name}: use a workbook (.xlsx, .csv) or a campaign file (.toml).</source>
        <translation>Herald cannot open {name}: use a workbook (.xlsx, .csv) or a campaign file (.toml).</translation>
    </message>
    <message>
        <source>Wait for the send to finish (or cancel it) first.</source>
        <translation>Wait for the send to finish (or cancel it) first.</translation>
    </message>
    <message>
        <source>New campaign: choose the workbook of recipients</source>
        <translation>New campaign: choose the workbook of recipients</translation>
    </message>
    <message>
        <source>Workbooks (*.xlsx *.xlsm *.csv *.tsv *.txt)</source>
        <translation>Workbooks (*.xlsx *.xlsm *.csv *.tsv *.txt)</translation>
    </message>
    <message>
        <source>No recent files</source>
        <translation>No recent files</translation>
    </message>
    <message>
        <source>&amp;Clear the list</source>
        <translation>&amp;Clear the list</translation>
    </message>
    <message>
        <source>Save campaign</source>
        <translation>Save campaign</translation>
    </message>
    <message>
        <source>Could not save {path}: {reason}</source>
        <translation>Could not save {path}: {reason}</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Unsaved changes</translation>
    </message>
    <message>
        <source>The campaign has unsaved changes. Save them first?</source>
        <translation>The campaign has unsaved changes. Save them first?</translation>
    </message>
    <message>
        <source>Herald</source>
        <translation>Herald</translation>
    </message>
    <message>
        <source>About Herald</source>
        <translation>About Herald</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Herald {version}&lt;/h3&gt;&lt;p&gt;A desktop mail-merge sender: a workbook of recipients, a template, and steady, rate-controlled SMTP sending.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Herald {version}&lt;/h3&gt;&lt;p&gt;A desktop mail-merge sender: a workbook of recipients, a template, and steady, rate-controlled SMTP sending.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Sending in progress</source>
        <translation>Sending in progress</translation>
    </message>
    <message>
        <source>Herald is sending. Pause the send and quit? You can resume it the next time you open this campaign; nobody will receive a message twice.</source>
        <translation>Herald is sending. Pause the send and quit? You can resume it the next time you open this campaign; nobody will receive a message twice.</translation>
    </message>
</context>
<context>
    <name>PreviewPage</name>
    <message>
        <source>Preview &amp;&amp; test</source>
        <extracomment>how long one chunk of &quot;Check all&quot; may hold the event loop before yielding</extracomment>
        <translation>Preview &amp;&amp; test</translation>
    </message>
    <message>
        <source>First row</source>
        <translation>First row</translation>
    </message>
    <message>
        <source>Previous row</source>
        <translation>Previous row</translation>
    </message>
    <message>
        <source>Next row</source>
        <translation>Next row</translation>
    </message>
    <message>
        <source>Last row</source>
        <translation>Last row</translation>
    </message>
    <message>
        <source>Go to recipient number</source>
        <translation>Go to recipient number</translation>
    </message>
    <message>
        <source>Find a recipient (any column)…</source>
        <translation>Find a recipient (any column)…</translation>
    </message>
    <message>
        <source>Find a recipient</source>
        <translation>Find a recipient</translation>
    </message>
    <message>
        <source>&amp;Find next</source>
        <translation>&amp;Find next</translation>
    </message>
    <message>
        <source>From:</source>
        <translation>From:</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>To:</translation>
    </message>
    <message>
        <source>Cc:</source>
        <translation>Cc:</translation>
    </message>
    <message>
        <source>Subject:</source>
        <translation>Subject:</translation>
    </message>
    <message>
        <source>Attachments:</source>
        <translation>Attachments:</translation>
    </message>
    <message>
        <source>HTML</source>
        <translation>HTML</translation>
    </message>
    <message>
        <source>Plain text</source>
        <translation>Plain text</translation>
    </message>
    <message>
        <source>HTML preview</source>
        <translation>HTML preview</translation>
    </message>
    <message>
        <source>Plain-text preview</source>
        <translation>Plain-text preview</translation>
    </message>
    <message>
        <source>&amp;Check all</source>
        <translation>&amp;Check all</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>S&amp;top</translation>
    </message>
    <message>
        <source>Send &amp;test to me…</source>
        <translation>Send &amp;test to me…</translation>
    </message>
    <message>
        <source>Check progress</source>
        <translation>Check progress</translation>
    </message>
    <message>
        <source>Problems found</source>
        <translation>Problems found</translation>
    </message>
    <message>
        <source>Not checked yet</source>
        <translation>Not checked yet</translation>
    </message>
    <message>
        <source>Row {row} cannot be sent:</source>
        <translation>Row {row} cannot be sent:</translation>
    </message>
    <message>
        <source>none</source>
        <translation>none</translation>
    </message>
    <message>
        <source>{i} of {n} (row {row})</source>
        <translation>{i} of {n} (row {row})</translation>
    </message>
    <message>
        <source>0 of 0</source>
        <translation>0 of 0</translation>
    </message>
    <message>
        <source>No recipient matches “{text}”.</source>
        <translation>No recipient matches “{text}”.</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>{checked} of {rows} rows checked: {ok} can be sent, {bad} cannot; {errors} errors, {warnings} warnings.</source>
        <translation>{checked} of {rows} rows checked: {ok} can be sent, {bad} cannot; {errors} errors, {warnings} warnings.</translation>
    </message>
    <message>
        <source>Check stopped early</source>
        <translation>Check stopped early</translation>
    </message>
    <message>
        <source>Send test to me</source>
        <translation>Send test to me</translation>
    </message>
    <message>
        <source>Send this row&apos;s message, marked [TEST], to:</source>
        <translation>Send this row&apos;s message, marked [TEST], to:</translation>
    </message>
    <message>
        <source>The test was not sent: {error}</source>
        <translation>The test was not sent: {error}</translation>
    </message>
    <message>
        <source>Test sent to {address}.</source>
        <translation>Test sent to {address}.</translation>
    </message>
    <message>
        <source>Rendering row {row}…</source>
        <translation>Rendering row {row}…</translation>
    </message>
</context>
<context>
    <name>ProblemLabels</name>
    <message>
        <source>unreadable file</source>
        <translation>unreadable file</translation>
    </message>
    <message>
        <source>header renamed</source>
        <translation>header renamed</translation>
    </message>
    <message>
        <source>too many rows</source>
        <translation>too many rows</translation>
    </message>
    <message>
        <source>no email column</source>
        <translation>no email column</translation>
    </message>
    <message>
        <source>unknown column</source>
        <translation>unknown column</translation>
    </message>
    <message>
        <source>empty address</source>
        <translation>empty address</translation>
    </message>
    <message>
        <source>invalid address</source>
        <translation>invalid address</translation>
    </message>
    <message>
        <source>several addresses</source>
        <translation>several addresses</translation>
    </message>
    <message>
        <source>duplicate</source>
        <translation>duplicate</translation>
    </message>
    <message>
        <source>needs SMTPUTF8</source>
        <translation>needs SMTPUTF8</translation>
    </message>
    <message>
        <source>formula without value</source>
        <translation>formula without value</translation>
    </message>
    <message>
        <source>template error</source>
        <translation>template error</translation>
    </message>
    <message>
        <source>unsafe header</source>
        <translation>unsafe header</translation>
    </message>
    <message>
        <source>missing attachment</source>
        <translation>missing attachment</translation>
    </message>
    <message>
        <source>attachment refused</source>
        <translation>attachment refused</translation>
    </message>
    <message>
        <source>large attachments</source>
        <translation>large attachments</translation>
    </message>
    <message>
        <source>line too long</source>
        <translation>line too long</translation>
    </message>
    <message>
        <source>on the do-not-email list</source>
        <translation>on the do-not-email list</translation>
    </message>
    <message>
        <source>invalid setting</source>
        <translation>invalid setting</translation>
    </message>
    <message>
        <source>headers too large</source>
        <translation>headers too large</translation>
    </message>
</context>
<context>
    <name>ProblemsModel</name>
    <message>
        <source>Row</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Where</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>line {n}</source>
        <translation>line {n}</translation>
    </message>
</context>
<context>
    <name>ProfileStore</name>
    <message>
        <source>Local test outbox (nothing leaves this computer)</source>
        <translation>Local test outbox (nothing leaves this computer)</translation>
    </message>
</context>
<context>
    <name>ProfilesDialog</name>
    <message>
        <source>SMTP profiles</source>
        <translation>SMTP profiles</translation>
    </message>
    <message>
        <source>Saved profiles</source>
        <translation>Saved profiles</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>&amp;New</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Delete</translation>
    </message>
    <message>
        <source>Profile &amp;name:</source>
        <translation>Profile &amp;name:</translation>
    </message>
    <message>
        <source>&amp;Provider:</source>
        <translation>&amp;Provider:</translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation>&amp;Server:</translation>
    </message>
    <message>
        <source>P&amp;ort:</source>
        <translation>P&amp;ort:</translation>
    </message>
    <message>
        <source>&amp;Encryption:</source>
        <translation>&amp;Encryption:</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>&amp;User name:</translation>
    </message>
    <message>
        <source>Pass&amp;word:</source>
        <translation>Pass&amp;word:</translation>
    </message>
    <message>
        <source>Sign-&amp;in:</source>
        <translation>Sign-&amp;in:</translation>
    </message>
    <message>
        <source>Trusted certi&amp;ficate:</source>
        <translation>Trusted certi&amp;ficate:</translation>
    </message>
    <message>
        <source>Per &amp;minute:</source>
        <translation>Per &amp;minute:</translation>
    </message>
    <message>
        <source>Per &amp;hour:</source>
        <translation>Per &amp;hour:</translation>
    </message>
    <message>
        <source>Per &amp;day:</source>
        <translation>Per &amp;day:</translation>
    </message>
    <message>
        <source>&amp;Connections:</source>
        <translation>&amp;Connections:</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>no limit</translation>
    </message>
    <message>
        <source>TLS (port 465)</source>
        <translation>TLS (port 465)</translation>
    </message>
    <message>
        <source>STARTTLS (port 587)</source>
        <translation>STARTTLS (port 587)</translation>
    </message>
    <message>
        <source>None (not encrypted)</source>
        <translation>None (not encrypted)</translation>
    </message>
    <message>
        <source>kept only in the system keychain</source>
        <translation>kept only in the system keychain</translation>
    </message>
    <message>
        <source>only for a self-hosted server with its own certificate (.pem file)</source>
        <translation>only for a self-hosted server with its own certificate (.pem file)</translation>
    </message>
    <message>
        <source>Password or app password</source>
        <translation>Password or app password</translation>
    </message>
    <message>
        <source>Microsoft account (OAuth, no password)</source>
        <translation>Microsoft account (OAuth, no password)</translation>
    </message>
    <message>
        <source>App (c&amp;lient) ID:</source>
        <translation>App (c&amp;lient) ID:</translation>
    </message>
    <message>
        <source>Si&amp;gn in with Microsoft…</source>
        <translation>Si&amp;gn in with Microsoft…</translation>
    </message>
    <message>
        <source>from your administrator (see docs/OAUTH.md); empty: Herald&apos;s own</source>
        <translation>from your administrator (see docs/OAUTH.md); empty: Herald&apos;s own</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>&amp;Test connection</translation>
    </message>
    <message>
        <source>Sa&amp;ve profile</source>
        <translation>Sa&amp;ve profile</translation>
    </message>
    <message>
        <source>Give the profile a name (not “outbox”).</source>
        <translation>Give the profile a name (not “outbox”).</translation>
    </message>
    <message>
        <source>Fill in the server name.</source>
        <translation>Fill in the server name.</translation>
    </message>
    <message>
        <source>Profile saved, but the password could not be kept: {error}</source>
        <translation>Profile saved, but the password could not be kept: {error}</translation>
    </message>
    <message>
        <source>Profile “{name}” saved.</source>
        <translation>Profile “{name}” saved.</translation>
    </message>
    <message>
        <source>Connecting to {host}…</source>
        <translation>Connecting to {host}…</translation>
    </message>
    <message>
        <source>The test failed: {reply}</source>
        <translation>The test failed: {reply}</translation>
    </message>
    <message>
        <source>Could not connect: {error}</source>
        <translation>Could not connect: {error}</translation>
    </message>
    <message>
        <source>Enter the app (client) ID that your administrator registered for Herald (docs/OAUTH.md explains how).</source>
        <translation>Enter the app (client) ID that your administrator registered for Herald (docs/OAUTH.md explains how).</translation>
    </message>
    <message>
        <source>Fill in the user name (your e-mail address) first.</source>
        <translation>Fill in the user name (your e-mail address) first.</translation>
    </message>
    <message>
        <source>Signed in as {user}.</source>
        <translation>Signed in as {user}.</translation>
    </message>
    <message>
        <source>Not signed in yet.</source>
        <translation>Not signed in yet.</translation>
    </message>
    <message>
        <source>Waiting for you to sign in in the browser…</source>
        <translation>Waiting for you to sign in in the browser…</translation>
    </message>
    <message>
        <source>Signing in did not finish: {error}</source>
        <translation>Signing in did not finish: {error}</translation>
    </message>
</context>
<context>
    <name>RecipientsModel</name>
    <message>
        <source>sent</source>
        <extracomment>custom roles</extracomment>
        <translation>sent</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>failed</translation>
    </message>
    <message>
        <source>deferred</source>
        <translation>deferred</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unknown</translation>
    </message>
    <message>
        <source>sending</source>
        <translation>sending</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>pending</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Check</translation>
    </message>
    <message>
        <source>excluded</source>
        <translation>excluded</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>duplicate</source>
        <translation>duplicate</translation>
    </message>
    <message>
        <source>warning: {kind}</source>
        <translation>warning: {kind}</translation>
    </message>
    <message>
        <source>problem: {kind}</source>
        <translation>problem: {kind}</translation>
    </message>
</context>
<context>
    <name>RecipientsPage</name>
    <message>
        <source>Recipients</source>
        <translation>Recipients</translation>
    </message>
    <message>
        <source>&amp;Open workbook…</source>
        <translation>&amp;Open workbook…</translation>
    </message>
    <message>
        <source>Open an .xlsx or .csv file, or drop one on the window</source>
        <translation>Open an .xlsx or .csv file, or drop one on the window</translation>
    </message>
    <message>
        <source>S&amp;heet:</source>
        <translation>S&amp;heet:</translation>
    </message>
    <message>
        <source>Sheet</source>
        <translation>Sheet</translation>
    </message>
    <message>
        <source>Header &amp;row:</source>
        <translation>Header &amp;row:</translation>
    </message>
    <message>
        <source>auto</source>
        <translation>auto</translation>
    </message>
    <message>
        <source>Header row (0 finds it automatically)</source>
        <translation>Header row (0 finds it automatically)</translation>
    </message>
    <message>
        <source>Re&amp;load</source>
        <translation>Re&amp;load</translation>
    </message>
    <message>
        <source>Column roles</source>
        <translation>Column roles</translation>
    </message>
    <message>
        <source>&amp;Email:</source>
        <translation>&amp;Email:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Cc:</source>
        <translation>&amp;Cc:</translation>
    </message>
    <message>
        <source>&amp;Bcc:</source>
        <translation>&amp;Bcc:</translation>
    </message>
    <message>
        <source>Reply-&amp;to:</source>
        <translation>Reply-&amp;to:</translation>
    </message>
    <message>
        <source>A&amp;ttachments:</source>
        <translation>A&amp;ttachments:</translation>
    </message>
    <message>
        <source>&amp;Problems only</source>
        <translation>&amp;Problems only</translation>
    </message>
    <message>
        <source>Search any column…</source>
        <translation>Search any column…</translation>
    </message>
    <message>
        <source>Search recipients</source>
        <translation>Search recipients</translation>
    </message>
    <message>
        <source>E&amp;xclude selected</source>
        <translation>E&amp;xclude selected</translation>
    </message>
    <message>
        <source>&amp;Include selected</source>
        <translation>&amp;Include selected</translation>
    </message>
    <message>
        <source>Recipients table</source>
        <translation>Recipients table</translation>
    </message>
    <message>
        <source>Recipient counts</source>
        <translation>Recipient counts</translation>
    </message>
    <message>
        <source>Open workbook</source>
        <translation>Open workbook</translation>
    </message>
    <message>
        <source>Workbooks (*.xlsx *.xlsm *.csv *.tsv *.txt)</source>
        <translation>Workbooks (*.xlsx *.xlsm *.csv *.tsv *.txt)</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>No workbook yet: open one or drop it here.</source>
        <translation>No workbook yet: open one or drop it here.</translation>
    </message>
    <message>
        <source>{name} — header in row {row}</source>
        <translation>{name} — header in row {row}</translation>
    </message>
    <message>
        <source>No recipients yet</source>
        <translation>No recipients yet</translation>
    </message>
    <message>
        <source>{rows} rows: {valid} valid, {invalid} invalid, {dup} duplicate, {excluded} excluded</source>
        <translation>{rows} rows: {valid} valid, {invalid} invalid, {dup} duplicate, {excluded} excluded</translation>
    </message>
    <message>
        <source>, {count} on the do-not-email list</source>
        <translation>, {count} on the do-not-email list</translation>
    </message>
    <message>
        <source>Choose the email column</source>
        <translation>Choose the email column</translation>
    </message>
    <message>
        <source>Nobody to send to</source>
        <translation>Nobody to send to</translation>
    </message>
</context>
<context>
    <name>ReportMailbox</name>
    <message>
        <source>{provider} files mail sent over SMTP in Sent by itself: a copy from Herald would be a duplicate.</source>
        <translation>{provider} files mail sent over SMTP in Sent by itself: a copy from Herald would be a duplicate.</translation>
    </message>
    <message>
        <source>Read bounces</source>
        <translation>Read bounces</translation>
    </message>
    <message>
        <source>Reading {host}…</source>
        <translation>Reading {host}…</translation>
    </message>
    <message>
        <source>{bounces} bounces ({hard} hard, {soft} soft), {unsubscribes} unsubscribe requests; {added} addresses added to the do-not-email list.</source>
        <translation>{bounces} bounces ({hard} hard, {soft} soft), {unsubscribes} unsubscribe requests; {added} addresses added to the do-not-email list.</translation>
    </message>
    <message>
        <source>{known} bounces were known from an earlier reading.</source>
        <translation>{known} bounces were known from an earlier reading.</translation>
    </message>
    <message>
        <source>{count} messages read; nothing in the mailbox was changed.</source>
        <translation>{count} messages read; nothing in the mailbox was changed.</translation>
    </message>
    <message>
        <source>Copy to Sent</source>
        <translation>Copy to Sent</translation>
    </message>
    <message>
        <source>Filed {copied} copies in {folder}; {already} were filed before, {present} were there already.</source>
        <translation>Filed {copied} copies in {folder}; {already} were filed before, {present} were there already.</translation>
    </message>
    <message>
        <source>{n} sent messages could not be built again (the workbook or template changed since): no copy of them was filed.</source>
        <translation>{n} sent messages could not be built again (the workbook or template changed since): no copy of them was filed.</translation>
    </message>
</context>
<context>
    <name>ReportPage</name>
    <message>
        <source>Report</source>
        <translation>Report</translation>
    </message>
    <message>
        <source>Totals</source>
        <translation>Totals</translation>
    </message>
    <message>
        <source>Sent:</source>
        <translation>Sent:</translation>
    </message>
    <message>
        <source>Failed:</source>
        <translation>Failed:</translation>
    </message>
    <message>
        <source>Deferred (will be retried):</source>
        <translation>Deferred (will be retried):</translation>
    </message>
    <message>
        <source>Unknown:</source>
        <translation>Unknown:</translation>
    </message>
    <message>
        <source>Not sent yet:</source>
        <translation>Not sent yet:</translation>
    </message>
    <message>
        <source>Skipped (not sendable or excluded):</source>
        <translation>Skipped (not sendable or excluded):</translation>
    </message>
    <message>
        <source>Retry &amp;failed</source>
        <translation>Retry &amp;failed</translation>
    </message>
    <message>
        <source>Resend &amp;unknown…</source>
        <translation>Resend &amp;unknown…</translation>
    </message>
    <message>
        <source>&amp;Export report…</source>
        <translation>&amp;Export report…</translation>
    </message>
    <message>
        <source>Open the &amp;Outbox folder</source>
        <translation>Open the &amp;Outbox folder</translation>
    </message>
    <message>
        <source>Read &amp;bounces…</source>
        <translation>Read &amp;bounces…</translation>
    </message>
    <message>
        <source>Read the account&apos;s inbox (read-only) for bounces of this campaign and for unsubscribe replies; hard bounces and unsubscribers go on the do-not-email list.</source>
        <translation>Read the account&apos;s inbox (read-only) for bounces of this campaign and for unsubscribe replies; hard bounces and unsubscribers go on the do-not-email list.</translation>
    </message>
    <message>
        <source>Copy to &amp;Sent…</source>
        <translation>Copy to &amp;Sent…</translation>
    </message>
    <message>
        <source>S&amp;how:</source>
        <translation>S&amp;how:</translation>
    </message>
    <message>
        <source>All rows</source>
        <translation>All rows</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Sent</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Failed</translation>
    </message>
    <message>
        <source>Deferred</source>
        <translation>Deferred</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>Unknown</translation>
    </message>
    <message>
        <source>Not sent yet</source>
        <translation>Not sent yet</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>Skipped</translation>
    </message>
    <message>
        <source>Bounced</source>
        <translation>Bounced</translation>
    </message>
    <message>
        <source>Show rows with status</source>
        <translation>Show rows with status</translation>
    </message>
    <message>
        <source>Every recipient&apos;s outcome</source>
        <translation>Every recipient&apos;s outcome</translation>
    </message>
    <message>
        <source>“Unknown” means the message went out but the server&apos;s answer never arrived (the connection dropped after the last byte). The recipient may or may not have it, so Herald never resends these by itself: resending may deliver a second copy.</source>
        <translation>“Unknown” means the message went out but the server&apos;s answer never arrived (the connection dropped after the last byte). The recipient may or may not have it, so Herald never resends these by itself: resending may deliver a second copy.</translation>
    </message>
    <message>
        <source>Nothing sent yet for this campaign.</source>
        <translation>Nothing sent yet for this campaign.</translation>
    </message>
    <message>
        <source>{sent} of {total} rows have the message.</source>
        <translation>{sent} of {total} rows have the message.</translation>
    </message>
    <message>
        <source>{n} of them bounced afterwards (see Bounced below).</source>
        <translation>{n} of them bounced afterwards (see Bounced below).</translation>
    </message>
    <message>
        <source>{n} rows were skipped (see Skipped below for why).</source>
        <translation>{n} rows were skipped (see Skipped below for why).</translation>
    </message>
    <message>
        <source>{n} not sent yet: continue from the Send page.</source>
        <translation>{n} not sent yet: continue from the Send page.</translation>
    </message>
    <message>
        <source>{temporary} failed recipients had a temporary problem and will be retried. {permanent} were refused permanently by the server (for example, no such mailbox); sending to them again usually fails again and can harm your sender reputation. Retry those {permanent} too?</source>
        <translation>{temporary} failed recipients had a temporary problem and will be retried. {permanent} were refused permanently by the server (for example, no such mailbox); sending to them again usually fails again and can harm your sender reputation. Retry those {permanent} too?</translation>
    </message>
    <message>
        <source>All {permanent} failed recipients were refused permanently by the server (for example, no such mailbox); sending to them again usually fails again and can harm your sender reputation. Retry them anyway?</source>
        <translation>All {permanent} failed recipients were refused permanently by the server (for example, no such mailbox); sending to them again usually fails again and can harm your sender reputation. Retry them anyway?</translation>
    </message>
    <message>
        <source>Retry failed</source>
        <translation>Retry failed</translation>
    </message>
    <message>
        <source>Resend unknown</source>
        <translation>Resend unknown</translation>
    </message>
    <message>
        <source>Resend to these {n} recipients anyway?</source>
        <translation>Resend to these {n} recipients anyway?</translation>
    </message>
    <message>
        <source>Export report</source>
        <translation>Export report</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx);;CSV (*.csv)</source>
        <translation>Excel workbook (*.xlsx);;CSV (*.csv)</translation>
    </message>
    <message>
        <source>Only test runs so far (to the local test outbox): nothing was delivered to anyone.</source>
        <translation>Only test runs so far (to the local test outbox): nothing was delivered to anyone.</translation>
    </message>
</context>
<context>
    <name>ReportRows</name>
    <message>
        <source>sent</source>
        <translation>sent</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>failed</translation>
    </message>
    <message>
        <source>deferred</source>
        <translation>deferred</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unknown</translation>
    </message>
    <message>
        <source>not sent yet</source>
        <translation>not sent yet</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>skipped</translation>
    </message>
    <message>
        <source>bounced (hard)</source>
        <translation>bounced (hard)</translation>
    </message>
    <message>
        <source>bounced (soft)</source>
        <translation>bounced (soft)</translation>
    </message>
    <message>
        <source>excluded by you</source>
        <translation>excluded by you</translation>
    </message>
    <message>
        <source>duplicate address</source>
        <translation>duplicate address</translation>
    </message>
    <message>
        <source>not in this send (the workbook changed after it started?)</source>
        <translation>not in this send (the workbook changed after it started?)</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>Reason or server reply</source>
        <translation>Reason or server reply</translation>
    </message>
</context>
<context>
    <name>SendController</name>
    <message>
        <source>Sending stopped: {reason}</source>
        <translation>Sending stopped: {reason}</translation>
    </message>
    <message>
        <source>Sending ended early: {reason}</source>
        <translation>Sending ended early: {reason}</translation>
    </message>
    <message>
        <source>{reason}; resuming at {time}.</source>
        <translation>{reason}; resuming at {time}.</translation>
    </message>
    <message>
        <source>Paused. Press Resume to carry on.</source>
        <translation>Paused. Press Resume to carry on.</translation>
    </message>
    <message>
        <source>Paused: {reason}; resuming at {time}.</source>
        <translation>Paused: {reason}; resuming at {time}.</translation>
    </message>
    <message>
        <source>Paused: {reason}. Press Resume when it is fixed.</source>
        <translation>Paused: {reason}. Press Resume when it is fixed.</translation>
    </message>
    <message>
        <source>The send stopped with an error: {error}</source>
        <translation>The send stopped with an error: {error}</translation>
    </message>
    <message>
        <source>Trying {lanes} of {configured} connections again.</source>
        <translation>Trying {lanes} of {configured} connections again.</translation>
    </message>
    <message>
        <source>Using {lanes} of {configured} connections: the server refuses more at once. One more is tried again later.</source>
        <translation>Using {lanes} of {configured} connections: the server refuses more at once. One more is tried again later.</translation>
    </message>
    <message>
        <source>Using {lanes} of {configured} connections: the server accepts them.</source>
        <translation>Using {lanes} of {configured} connections: the server accepts them.</translation>
    </message>
</context>
<context>
    <name>SendPage</name>
    <message>
        <source>Schedule (local time; empty = any time)</source>
        <translation>Schedule (local time; empty = any time)</translation>
    </message>
    <message>
        <source>Start &amp;at:</source>
        <translation>Start &amp;at:</translation>
    </message>
    <message>
        <source>Sending hou&amp;rs:</source>
        <translation>Sending hou&amp;rs:</translation>
    </message>
    <message>
        <source>Sending da&amp;ys:</source>
        <translation>Sending da&amp;ys:</translation>
    </message>
    <message>
        <source>e.g. 2026-12-08 09:00</source>
        <translation>e.g. 2026-12-08 09:00</translation>
    </message>
    <message>
        <source>e.g. 09:00-18:00</source>
        <translation>e.g. 09:00-18:00</translation>
    </message>
    <message>
        <source>e.g. mon-fri</source>
        <translation>e.g. mon-fri</translation>
    </message>
    <message>
        <source>Start sending at (date and time)</source>
        <translation>Start sending at (date and time)</translation>
    </message>
    <message>
        <source>Sending hours, from-to</source>
        <translation>Sending hours, from-to</translation>
    </message>
    <message>
        <source>Sending days</source>
        <translation>Sending days</translation>
    </message>
    <message>
        <source>Schedule: {error}</source>
        <translation>Schedule: {error}</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Send</translation>
    </message>
    <message>
        <source>Limits (0 = no limit)</source>
        <translation>Limits (0 = no limit)</translation>
    </message>
    <message>
        <source>Per &amp;second:</source>
        <translation>Per &amp;second:</translation>
    </message>
    <message>
        <source>Per &amp;minute:</source>
        <translation>Per &amp;minute:</translation>
    </message>
    <message>
        <source>Per &amp;hour:</source>
        <translation>Per &amp;hour:</translation>
    </message>
    <message>
        <source>Per &amp;day:</source>
        <translation>Per &amp;day:</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>no limit</translation>
    </message>
    <message>
        <source>C&amp;onnections:</source>
        <translation>C&amp;onnections:</translation>
    </message>
    <message>
        <source>P&amp;ause between messages (s):</source>
        <translation>P&amp;ause between messages (s):</translation>
    </message>
    <message>
        <source>Random e&amp;xtra pause up to (s):</source>
        <translation>Random e&amp;xtra pause up to (s):</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>Connections</translation>
    </message>
    <message>
        <source>Messages per co&amp;nnection:</source>
        <translation>Messages per co&amp;nnection:</translation>
    </message>
    <message>
        <source>Messages per connection before reconnecting</source>
        <translation>Messages per connection before reconnecting</translation>
    </message>
    <message>
        <source>&amp;Bandwidth cap (KB/s):</source>
        <translation>&amp;Bandwidth cap (KB/s):</translation>
    </message>
    <message>
        <source>Bandwidth cap in kilobytes per second</source>
        <translation>Bandwidth cap in kilobytes per second</translation>
    </message>
    <message>
        <source>Pause between messages in seconds</source>
        <translation>Pause between messages in seconds</translation>
    </message>
    <message>
        <source>Random extra pause in seconds</source>
        <translation>Random extra pause in seconds</translation>
    </message>
    <message>
        <source>Checking the messages of the first rows…</source>
        <translation>Checking the messages of the first rows…</translation>
    </message>
    <message>
        <source>{count} row(s) cannot be sent and were left out (see the send log): {error}</source>
        <translation>{count} row(s) cannot be sent and were left out (see the send log): {error}</translation>
    </message>
    <message>
        <source>{done}/{total} · sent {sent} · failed {failed} · deferred {deferred} · unknown {unknown} · {rate} · ETA {eta}</source>
        <translation>{done}/{total} · sent {sent} · failed {failed} · deferred {deferred} · unknown {unknown} · {rate} · ETA {eta}</translation>
    </message>
    <message>
        <source>Nothing sent</source>
        <translation>Nothing sent</translation>
    </message>
    <message>
        <source>{n} left to send</source>
        <translation>{n} left to send</translation>
    </message>
    <message>
        <source>&amp;Continue: {n} left</source>
        <translation>&amp;Continue: {n} left</translation>
    </message>
    <message>
        <source>&amp;Start sending…</source>
        <translation>&amp;Start sending…</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>&amp;Pause</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>&amp;Resume</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Cancel</translation>
    </message>
    <message>
        <source>Send progress</source>
        <translation>Send progress</translation>
    </message>
    <message>
        <source>Sending rate chart</source>
        <translation>Sending rate chart</translation>
    </message>
    <message>
        <source>Cancel sending?</source>
        <translation>Cancel sending?</translation>
    </message>
    <message>
        <source>Stop sending now? Messages already on their way finish; the other {n} recipients stay queued and you can continue later. Nobody gets a message twice.</source>
        <translation>Stop sending now? Messages already on their way finish; the other {n} recipients stay queued and you can continue later. Nobody gets a message twice.</translation>
    </message>
    <message>
        <source>/min</source>
        <translation>/min</translation>
    </message>
    <message>
        <source>/s</source>
        <translation>/s</translation>
    </message>
    <message>
        <source>messages in the last minute</source>
        <translation>messages in the last minute</translation>
    </message>
    <message>
        <source>messages per minute</source>
        <translation>messages per minute</translation>
    </message>
    <message>
        <source>messages in the last second</source>
        <translation>messages in the last second</translation>
    </message>
    <message>
        <source>limit</source>
        <translation>limit</translation>
    </message>
    <message>
        <source>S&amp;how:</source>
        <translation>S&amp;how:</translation>
    </message>
    <message>
        <source>All</source>
        <translation>All</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Sent</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Failed</translation>
    </message>
    <message>
        <source>Deferred</source>
        <translation>Deferred</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>Unknown</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Paused</translation>
    </message>
    <message>
        <source>Show log entries with status</source>
        <translation>Show log entries with status</translation>
    </message>
    <message>
        <source>Search the log…</source>
        <translation>Search the log…</translation>
    </message>
    <message>
        <source>Search the log</source>
        <translation>Search the log</translation>
    </message>
    <message>
        <source>C&amp;opy</source>
        <translation>C&amp;opy</translation>
    </message>
    <message>
        <source>Copy the selected log lines</source>
        <translation>Copy the selected log lines</translation>
    </message>
    <message>
        <source>Send log</source>
        <translation>Send log</translation>
    </message>
    <message>
        <source>Account: {account}</source>
        <translation>Account: {account}</translation>
    </message>
    <message>
        <source>{count} recipients; at these limits about {duration}.</source>
        <translation>{count} recipients; at these limits about {duration}.</translation>
    </message>
    <message>
        <source>Attachments to send: {count}, {size} in all</source>
        <translation>Attachments to send: {count}, {size} in all</translation>
    </message>
    <message>
        <source>  … and {count} more</source>
        <translation>  … and {count} more</translation>
    </message>
    <message>
        <source>Start sending</source>
        <translation>Start sending</translation>
    </message>
    <message>
        <source>Send {count} messages from {sender} through {account}?</source>
        <translation>Send {count} messages from {sender} through {account}?</translation>
    </message>
    <message>
        <source>Could not start: {error}</source>
        <translation>Could not start: {error}</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Sending…</translation>
    </message>
    <message>
        <source>Waiting for the limits</source>
        <translation>Waiting for the limits</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Finished</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>Not started</translation>
    </message>
    <message>
        <source>messages per second (5 s average)</source>
        <translation>messages per second (5 s average)</translation>
    </message>
    <message>
        <source>{n} s</source>
        <translation>{n} s</translation>
    </message>
    <message>
        <source>{n}/min</source>
        <translation>{n}/min</translation>
    </message>
    <message>
        <source>{n}/s</source>
        <translation>{n}/s</translation>
    </message>
    <message>
        <source>Resume sending?</source>
        <translation>Resume sending?</translation>
    </message>
    <message>
        <source>The last send of this campaign was interrupted with {n} recipients still to go. Resume it now? Nobody who already got the message will get it again.</source>
        <translation>The last send of this campaign was interrupted with {n} recipients still to go. Resume it now? Nobody who already got the message will get it again.</translation>
    </message>
    <message>
        <source>Send for &amp;real now…</source>
        <translation>Send for &amp;real now…</translation>
    </message>
    <message>
        <source>Send for real now through a real account</source>
        <translation>Send for real now through a real account</translation>
    </message>
    <message>
        <source>Start o&amp;ver…</source>
        <translation>Start o&amp;ver…</translation>
    </message>
    <message>
        <source>Start this campaign over (the old record is kept)</source>
        <translation>Start this campaign over (the old record is kept)</translation>
    </message>
    <message>
        <source>TEST — nothing leaves this computer</source>
        <translation>TEST — nothing leaves this computer</translation>
    </message>
    <message>
        <source>The account “{name}” is not saved on this computer. Choose an account on Compose.</source>
        <translation>The account “{name}” is not saved on this computer. Choose an account on Compose.</translation>
    </message>
    <message>
        <source>The account “{name}” has no server set. Fix it in SMTP profiles.</source>
        <translation>The account “{name}” has no server set. Fix it in SMTP profiles.</translation>
    </message>
    <message>
        <source>{name} (not saved on this computer)</source>
        <translation>{name} (not saved on this computer)</translation>
    </message>
    <message>
        <source>Local test outbox (nothing leaves this computer)</source>
        <translation>Local test outbox (nothing leaves this computer)</translation>
    </message>
    <message>
        <source>the local test outbox</source>
        <translation>the local test outbox</translation>
    </message>
    <message>
        <source>{account} (From {sender})</source>
        <translation>{account} (From {sender})</translation>
    </message>
    <message>
        <source>No recipient can be sent to: fix the rows marked on Recipients.</source>
        <translation>No recipient can be sent to: fix the rows marked on Recipients.</translation>
    </message>
    <message>
        <source>This campaign was already sent through this computer (see Report). Use Start over to send it again.</source>
        <translation>This campaign was already sent through this computer (see Report). Use Start over to send it again.</translation>
    </message>
    <message>
        <source>The message cannot be filled in for any of the first rows: {error}</source>
        <translation>The message cannot be filled in for any of the first rows: {error}</translation>
    </message>
    <message>
        <source>Start over</source>
        <translation>Start over</translation>
    </message>
    <message>
        <source>Start this campaign over? The next Start sends to every recipient again, including the {done} who already have a result. The old record is kept as {file}.</source>
        <translation>Start this campaign over? The next Start sends to every recipient again, including the {done} who already have a result. The old record is kept as {file}.</translation>
    </message>
    <message>
        <source>Could not start over: {error}</source>
        <translation>Could not start over: {error}</translation>
    </message>
    <message>
        <source>Send for real</source>
        <translation>Send for real</translation>
    </message>
    <message>
        <source>Send through:</source>
        <translation>Send through:</translation>
    </message>
    <message>
        <source>Another account</source>
        <translation>Another account</translation>
    </message>
    <message>
        <source>This send was started through {started}. The account chosen now is {chosen}. Continue the remaining {n} through {chosen}?</source>
        <translation>This send was started through {started}. The account chosen now is {chosen}. Continue the remaining {n} through {chosen}?</translation>
    </message>
    <message>
        <source>Test: send {count} messages from {sender} to the local test outbox? Nothing leaves this computer and the campaign is not marked as sent.</source>
        <translation>Test: send {count} messages from {sender} to the local test outbox? Nothing leaves this computer and the campaign is not marked as sent.</translation>
    </message>
    <message>
        <source>Test finished: nothing was delivered</source>
        <translation>Test finished: nothing was delivered</translation>
    </message>
    <message>
        <source>It was being sent through {account}.</source>
        <translation>It was being sent through {account}.</translation>
    </message>
</context>
<context>
    <name>SlowRows</name>
    <message>
        <source>The template takes too long to fill in the message of row {row} (more than {seconds} s for one message). Make its loops smaller and check it on Preview.</source>
        <translation>The template takes too long to fill in the message of row {row} (more than {seconds} s for one message). Make its loops smaller and check it on Preview.</translation>
    </message>
    <message>
        <source>Not filled in: the template took too long on an earlier row (more than {seconds} s for one message), so row {row} was not tried. Make its loops smaller and check it on Preview.</source>
        <translation>Not filled in: the template took too long on an earlier row (more than {seconds} s for one message), so row {row} was not tried. Make its loops smaller and check it on Preview.</translation>
    </message>
    <message>
        <source>The template makes the message of row {row} too large (more than {size} of text). Make what it repeats or multiplies smaller and check it on Preview.</source>
        <translation>The template makes the message of row {row} too large (more than {size} of text). Make what it repeats or multiplies smaller and check it on Preview.</translation>
    </message>
</context>
</TS>
