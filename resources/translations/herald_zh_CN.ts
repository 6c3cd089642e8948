<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ComposePage</name>
    <message>
        <source>Compose</source>
        <translation>撰写</translation>
    </message>
    <message>
        <source>Sending &amp;account:</source>
        <translation>发件账户(&amp;A)：</translation>
    </message>
    <message>
        <source>&amp;Manage…</source>
        <translation>管理(&amp;M)…</translation>
    </message>
    <message>
        <source>Manage SMTP profiles</source>
        <translation>管理 SMTP 配置</translation>
    </message>
    <message>
        <source>&amp;From:</source>
        <translation>发件人(&amp;F)：</translation>
    </message>
    <message>
        <source>Shop Name &lt;news@example.com&gt;</source>
        <translation>商店名称 &lt;news@example.com&gt;</translation>
    </message>
    <message>
        <source>Re&amp;ply-To:</source>
        <translation>回复地址(&amp;P)：</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>可选</translation>
    </message>
    <message>
        <source>&amp;Subject:</source>
        <translation>主题(&amp;S)：</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Your order #{{ Order }} has shipped</source>
        <translation>您的订单 #{{ Order }} 已发货</translation>
    </message>
    <message>
        <source>Body &amp;format:</source>
        <translation>正文格式(&amp;F)：</translation>
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
        <translation>纯文本</translation>
    </message>
    <message>
        <source>&amp;Body:</source>
        <translation>正文(&amp;B)：</translation>
    </message>
    <message>
        <source>Message body</source>
        <translation>邮件正文</translation>
    </message>
    <message>
        <source>Separate &amp;plain-text body (otherwise made from the HTML)</source>
        <translation>单独的纯文本正文(&amp;P)（否则由 HTML 生成）</translation>
    </message>
    <message>
        <source>Plain-text body</source>
        <translation>纯文本正文</translation>
    </message>
    <message>
        <source>Fields</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Fields: double-click or press Enter to insert</source>
        <translation>字段：双击或按回车插入</translation>
    </message>
    <message>
        <source>Double-click (or Enter) inserts the field where the cursor is.</source>
        <translation>双击（或回车）在光标处插入字段。</translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation>附件</translation>
    </message>
    <message>
        <source>Files attached to every message</source>
        <translation>每封邮件都附带的文件</translation>
    </message>
    <message>
        <source>&amp;Add files…</source>
        <translation>添加文件(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>移除(&amp;R)</translation>
    </message>
    <message>
        <source>Per-row files from &amp;column:</source>
        <translation>每行附件所在列(&amp;C)：</translation>
    </message>
    <message>
        <source>Attachment column</source>
        <translation>附件列</translation>
    </message>
    <message>
        <source>Allowe&amp;d folders:</source>
        <translation>允许的文件夹(&amp;D)：</translation>
    </message>
    <message>
        <source>Files are attached only from these folders: the workbook&apos;s, the campaign file&apos;s, and the ones you allow. A path in the workbook that leads anywhere else is refused.</source>
        <translation>只从这些文件夹中添加附件：工作簿所在文件夹、活动文件所在文件夹，以及您允许的文件夹。工作簿中指向其他位置的路径会被拒绝。</translation>
    </message>
    <message>
        <source>Allowed attachment folders</source>
        <translation>允许的附件文件夹</translation>
    </message>
    <message>
        <source>A&amp;llow folder…</source>
        <translation>允许文件夹(&amp;L)…</translation>
    </message>
    <message>
        <source>Remo&amp;ve folder</source>
        <translation>移除文件夹(&amp;V)</translation>
    </message>
    <message>
        <source>Add a List-&amp;Unsubscribe header</source>
        <translation>添加退订标头 List-Unsubscribe(&amp;U)</translation>
    </message>
    <message>
        <source>unsubscribe@example.com</source>
        <translation>unsubscribe@example.com</translation>
    </message>
    <message>
        <source>Unsubscribe address</source>
        <translation>退订地址</translation>
    </message>
    <message>
        <source>One-click link (optional): https://…/unsubscribe?u={email}</source>
        <translation>一键退订链接（可选）：https://…/unsubscribe?u={email}</translation>
    </message>
    <message>
        <source>One-click unsubscribe link</source>
        <translation>一键退订链接</translation>
    </message>
    <message>
        <source>Gmail and Yahoo show an Unsubscribe button that calls this https link. {email} becomes each recipient&apos;s address.</source>
        <translation>Gmail 和 Yahoo 会显示“退订”按钮，点击后调用此 https 链接。{email} 会替换为每位收件人的地址。</translation>
    </message>
    <message>
        <source>Template check</source>
        <translation>模板检查</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Sending account</source>
        <translation>发件账户</translation>
    </message>
    <message>
        <source>Attach files</source>
        <translation>添加附件</translation>
    </message>
    <message>
        <source>Allowed by you</source>
        <translation>由您允许</translation>
    </message>
    <message>
        <source>The workbook&apos;s or campaign file&apos;s folder</source>
        <translation>工作簿或活动文件所在的文件夹</translation>
    </message>
    <message>
        <source>Allow attachments from folder</source>
        <translation>允许从此文件夹添加附件</translation>
    </message>
    <message>
        <source>`{name}` is not a column. Columns: {columns}</source>
        <translation>“{name}”不是表格中的列。现有列：{columns}</translation>
    </message>
    <message>
        <source>The subject is empty.</source>
        <translation>主题为空。</translation>
    </message>
    <message>
        <source>Fill in From: the sender&apos;s name and address.</source>
        <translation>请填写发件人：名称和地址。</translation>
    </message>
    <message>
        <source>The template is fine.</source>
        <translation>模板没有问题。</translation>
    </message>
    <message>
        <source>Checking the template…</source>
        <translation>正在检查模板…</translation>
    </message>
    <message>
        <source>{name} (not saved on this computer)</source>
        <translation>{name}（本机未保存此账户）</translation>
    </message>
</context>
<context>
    <name>DoNotEmailDialog</name>
    <message>
        <source>bounced (hard)</source>
        <translation>硬退信</translation>
    </message>
    <message>
        <source>asked to unsubscribe</source>
        <translation>要求退订</translation>
    </message>
    <message>
        <source>added by you</source>
        <translation>你添加的</translation>
    </message>
    <message>
        <source>imported</source>
        <translation>导入的</translation>
    </message>
    <message>
        <source>Herald never sends to these addresses, in any campaign. Hard bounces and unsubscribe requests are added by Read bounces… on the Report page; remove an address to send to it again.</source>
        <translation>任何活动都不会向这些地址发信。硬退信和退订请求由“报告”页的“读取退信…”加入；移除某个地址后即可再次向它发信。</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>加入日期</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Addresses on the do-not-email list</source>
        <translation>禁发名单中的地址</translation>
    </message>
    <message>
        <source>name@example.com (several: separate with commas)</source>
        <translation>name@example.com（多个地址用逗号分隔）</translation>
    </message>
    <message>
        <source>Addresses to add</source>
        <translation>要添加的地址</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>添加(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>移除(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Import CSV…</source>
        <translation>导入 CSV(&amp;I)…</translation>
    </message>
    <message>
        <source>Do-not-email list</source>
        <translation>禁发名单</translation>
    </message>
    <message>
        <source>{n} addresses ({path}).</source>
        <translation>共 {n} 个地址（{path}）。</translation>
    </message>
    <message>
        <source>The list could not be saved: {reason}</source>
        <translation>名单无法保存：{reason}</translation>
    </message>
    <message>
        <source>Not an e-mail address: {text}</source>
        <translation>不是电子邮件地址：{text}</translation>
    </message>
    <message>
        <source>added in the window</source>
        <translation>在窗口中添加</translation>
    </message>
    <message>
        <source>Added {added} of {n} (the others were listed already).</source>
        <translation>已添加 {n} 个中的 {added} 个（其余已在名单中）。</translation>
    </message>
    <message>
        <source>Every address given is on the list already.</source>
        <translation>输入的地址都已在名单中。</translation>
    </message>
    <message>
        <source>Removed {n}: they may be sent to again.</source>
        <translation>已移除 {n} 个：可以再次向它们发信。</translation>
    </message>
    <message>
        <source>Import addresses</source>
        <translation>导入地址</translation>
    </message>
    <message>
        <source>CSV or text (*.csv *.txt);;All files (*)</source>
        <translation>CSV 或文本 (*.csv *.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Added {n} new addresses from {name}.</source>
        <translation>已从 {name} 添加 {n} 个新地址。</translation>
    </message>
    <message>
        <source>No new addresses in {name}.</source>
        <translation>{name} 中没有新地址。</translation>
    </message>
</context>
<context>
    <name>FoundColumns</name>
    <message>
        <source>Bcc column “{column}” adds {count} hidden recipient(s) on {rows} row(s)</source>
        <translation>密送列“{column}”在 {rows} 行中添加了 {count} 个隐藏收件人</translation>
    </message>
    <message>
        <source>Cc column “{column}” adds {count} Cc recipient(s) on {rows} row(s)</source>
        <translation>抄送列“{column}”在 {rows} 行中添加了 {count} 个抄送收件人</translation>
    </message>
    <message>
        <source>Reply-To column “{column}” sends replies elsewhere on {rows} row(s)</source>
        <translation>回复地址列“{column}”让 {rows} 行的回复发往别处</translation>
    </message>
    <message>
        <source>(found by its header)</source>
        <translation>（按列标题自动识别）</translation>
    </message>
    <message>
        <source>Columns found by their headers</source>
        <translation>按列标题自动识别的列</translation>
    </message>
    <message>
        <source>Herald found these columns by their headers, and will use them:

{lines}

Send with them? To leave one out, choose “(none)” for it on the Recipients page.</source>
        <translation>Herald 按列标题自动识别出以下列，发送时会使用它们：

{lines}

按这些列发送吗？如不想使用某一列，请在“收件人”页面将它设为“（无）”。</translation>
    </message>
</context>
<context>
    <name>ImapServerDialog</name>
    <message>
        <source>Which server holds the mailbox of {account}? Herald reads it over IMAP, read-only, with the profile&apos;s saved password. Ask your provider or look in its help pages (for example imap.example.com, port 993).</source>
        <translation>{account} 的邮箱在哪台服务器上？Herald 通过 IMAP 以只读方式读取，使用该配置已保存的密码。可询问邮箱服务商或查看其帮助页面（例如 imap.example.com，端口 993）。</translation>
    </message>
    <message>
        <source>TLS (usually port 993)</source>
        <translation>TLS（通常为端口 993）</translation>
    </message>
    <message>
        <source>STARTTLS (usually port 143)</source>
        <translation>STARTTLS（通常为端口 143）</translation>
    </message>
    <message>
        <source>IMAP &amp;server:</source>
        <translation>IMAP 服务器(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation>端口(&amp;P)：</translation>
    </message>
    <message>
        <source>S&amp;ecurity:</source>
        <translation>加密方式(&amp;E)：</translation>
    </message>
    <message>
        <source>Mailbox server</source>
        <translation>邮箱服务器</translation>
    </message>
    <message>
        <source>Fill in the IMAP server&apos;s name.</source>
        <translation>请填写 IMAP 服务器名称。</translation>
    </message>
</context>
<context>
    <name>Log</name>
    <message>
        <source>{count} failed recipients queued again</source>
        <translation>已将 {count} 个发送失败的收件人重新排队</translation>
    </message>
    <message>
        <source>{count} recipients of unknown delivery queued again</source>
        <translation>已将 {count} 个投递情况未知的收件人重新排队</translation>
    </message>
    <message>
        <source>Report with {count} rows written to {path}</source>
        <translation>已将含 {count} 行的报告写入 {path}</translation>
    </message>
    <message>
        <source>Ignoring unreadable rates {rates}</source>
        <translation>忽略无法识别的速率：{rates}</translation>
    </message>
    <message>
        <source>Sending {count} messages through {account}</source>
        <translation>正在通过 {account} 发送 {count} 封邮件</translation>
    </message>
    <message>
        <source>Row {row} is not sent: {error}</source>
        <translation>第 {row} 行未发送：{error}</translation>
    </message>
    <message>
        <source>Sending cancelled by you; {n} recipients not sent yet</source>
        <translation>你已取消发送；还有{n}位收件人未发送</translation>
    </message>
    <message>
        <source>Cancelling at your request: messages already on their way finish first</source>
        <translation>正在按你的要求取消：已在发送途中的邮件会先发完</translation>
    </message>
    <message>
        <source>Opened campaign {path}</source>
        <translation>已打开活动 {path}</translation>
    </message>
    <message>
        <source>New campaign</source>
        <translation>新建活动</translation>
    </message>
    <message>
        <source>Read {count} rows from {file}</source>
        <translation>已从 {file} 读取 {count} 行</translation>
    </message>
    <message>
        <source>Reading {path} in a child process failed ({error}); reading it here</source>
        <translation>在子进程中读取 {path} 失败（{error}），改为在此读取</translation>
    </message>
    <message>
        <source>Saved campaign {path}</source>
        <translation>已保存活动 {path}</translation>
    </message>
    <message>
        <source>Could not read {path}</source>
        <translation>无法读取 {path}</translation>
    </message>
    <message>
        <source>A background task failed</source>
        <extracomment>A row still rendering after this long on the loop is finished in a worker thread (within the template&apos;s own 2 s budget, app.core.templates.limits): a slow template cannot freeze the window. Rendering is Python work, so the thread slows the loop, but it keeps turning.</extracomment>
        <translation>后台任务失败</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>Info</source>
        <translation>信息</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>{n}/min</source>
        <translation>{n} 封/分钟</translation>
    </message>
    <message>
        <source>{n}/h</source>
        <translation>{n} 封/小时</translation>
    </message>
    <message>
        <source>{n}/day</source>
        <translation>{n} 封/天</translation>
    </message>
    <message>
        <source>{provider} allows at most {cap}; your setting ({asked}) was lowered to {cap}.</source>
        <translation>{provider} 最多允许 {cap}；您的设置（{asked}）已降为 {cap}。</translation>
    </message>
    <message>
        <source>{provider} does not publish this limit; Herald suggests {cap}. With {asked} the server may refuse or block the account.</source>
        <translation>{provider} 未公布此项限制；Herald 建议 {cap}。按 {asked} 发送，服务器可能拒收或封禁该账户。</translation>
    </message>
    <message>
        <source>{provider} allows at most {cap} connections at once; {asked} was lowered to {cap}.</source>
        <translation>{provider} 最多允许同时 {cap} 个连接；{asked} 已降为 {cap}。</translation>
    </message>
    <message>
        <source>{provider} suggests at most {cap} connections at once.</source>
        <translation>{provider} 建议最多同时 {cap} 个连接。</translation>
    </message>
    <message>
        <source>Started the campaign over; the old journal was kept as {path}</source>
        <translation>已重新开始此活动；旧的发送记录保留为{path}</translation>
    </message>
    <message>
        <source>Test: sending {count} messages to the local test outbox</source>
        <translation>测试：正在将{count}封邮件发送到本地测试发件箱</translation>
    </message>
    <message>
        <source>next attempt {when}</source>
        <extracomment>After a deferred recipient&apos;s reason: when that one address is tried again.</extracomment>
        <translation>下次尝试 {when}</translation>
    </message>
</context>
<context>
    <name>LogModel</name>
    <message>
        <source>sent</source>
        <translation>已发送</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>not sent</source>
        <translation>未发送</translation>
    </message>
    <message>
        <source>deferred</source>
        <translation>已推迟</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>connections</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>resumed</source>
        <translation>已继续</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Server reply</source>
        <translation>服务器回复</translation>
    </message>
</context>
<context>
    <name>MailboxAccess</name>
    <message>
        <source>The campaign sends to the local test outbox: there is no mailbox to read.</source>
        <translation>此活动发送到本地测试发件箱：没有可读取的邮箱。</translation>
    </message>
    <message>
        <source>The account “{name}” is not saved on this computer.</source>
        <translation>账户“{name}”未保存在这台电脑上。</translation>
    </message>
    <message>
        <source>The account “{name}” has no login name.</source>
        <translation>账户“{name}”没有登录名。</translation>
    </message>
    <message>
        <source>The account “{name}” signs in with OAuth, and Herald cannot read a mailbox with an OAuth sign-in yet: read its bounces in your mail program for now.</source>
        <translation>账户“{name}”使用 OAuth 登录，Herald 暂时无法用 OAuth 登录读取邮箱：目前请在你的邮件程序中查看退信。</translation>
    </message>
    <message>
        <source>No password is saved for {user}: type it in File › SMTP profiles… and save (it goes to the system keychain). The mailbox uses the same password or authorization code (授权码) as sending.</source>
        <translation>{user} 没有已保存的密码：请在“文件 › SMTP 配置…”中输入并保存（密码存入系统钥匙串）。读取邮箱使用与发信相同的密码或授权码。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Recipients</source>
        <translation>收件人</translation>
    </message>
    <message>
        <source>Compose</source>
        <translation>撰写</translation>
    </message>
    <message>
        <source>Preview &amp;&amp; test</source>
        <translation>预览和测试</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>报告</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>步骤</translation>
    </message>
    <message>
        <source>Current step</source>
        <translation>当前步骤</translation>
    </message>
    <message>
        <source>&lt; &amp;Back</source>
        <translation>&lt; 上一步(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Next &gt;</source>
        <translation>下一步(&amp;N) &gt;</translation>
    </message>
    <message>
        <source>Previous step</source>
        <translation>上一步</translation>
    </message>
    <message>
        <source>Next step</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>日志</translation>
    </message>
    <message>
        <source>Log messages</source>
        <translation>日志消息</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;New campaign…</source>
        <translation>新建活动(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Open campaign…</source>
        <translation>打开活动(&amp;O)…</translation>
    </message>
    <message>
        <source>Open &amp;workbook…</source>
        <translation>打开工作簿(&amp;W)…</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>Open the &amp;demo campaign</source>
        <translation>打开演示活动(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Save &amp;as…</source>
        <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>SMTP &amp;profiles…</source>
        <translation>SMTP 配置(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Do-not-email list…</source>
        <translation>禁发名单(&amp;D)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Show &amp;log</source>
        <translation>显示日志(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <source>Follow the &amp;system</source>
        <translation>跟随系统(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>浅色(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation>深色(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About Herald</source>
        <translation>关于 Herald(&amp;A)</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>关于 Qt(&amp;Q)</translation>
    </message>
    <message>
        <source>Open campaign</source>
        <translation>打开活动</translation>
    </message>
    <message>
        <source>Herald campaign (*.toml)</source>
        <translation>Herald 活动文件 (*.toml)</translation>
    </message>
    <message>
        <source>Herald cannot open {name}: use a workbook (.xlsx, .csv) or a campaign file (.toml).</source>
        <translation>Herald 无法打开 {name}：请使用工作簿（.xlsx、.csv）或活动文件（.toml）。</translation>
    </message>
    <message>
        <source>Wait for the send to finish (or cancel it) first.</source>
        <translation>请先等待发送完成（或取消发送）。</translation>
    </message>
    <message>
        <source>New campaign: choose the workbook of recipients</source>
        <translation>新建活动：选择收件人工作簿</translation>
    </message>
    <message>
        <source>Workbooks (*.xlsx *.xlsm *.csv *.tsv *.txt)</source>
        <translation>工作簿 (*.xlsx *.xlsm *.csv *.tsv *.txt)</translation>
    </message>
    <message>
        <source>No recent files</source>
        <translation>没有最近的文件</translation>
    </message>
    <message>
        <source>&amp;Clear the list</source>
        <translation>清空列表(&amp;C)</translation>
    </message>
    <message>
        <source>Save campaign</source>
        <translation>保存活动</translation>
    </message>
    <message>
        <source>Could not save {path}: {reason}</source>
        <translation>无法保存 {path}：{reason}</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <source>The campaign has unsaved changes. Save them first?</source>
        <translation>活动有未保存的更改。要先保存吗？</translation>
    </message>
    <message>
        <source>Herald</source>
        <translation>Herald</translation>
    </message>
    <message>
        <source>About Herald</source>
        <translation>关于 Herald</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Herald {version}&lt;/h3&gt;&lt;p&gt;A desktop mail-merge sender: a workbook of recipients, a template, and steady, rate-controlled SMTP sending.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Herald {version}&lt;/h3&gt;&lt;p&gt;桌面邮件合并发送工具：一份收件人工作簿、一个模板，以及稳定、限速的 SMTP 发送。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Sending in progress</source>
        <translation>正在发送</translation>
    </message>
    <message>
        <source>Herald is sending. Pause the send and quit? You can resume it the next time you open this campaign; nobody will receive a message twice.</source>
        <translation>Herald 正在发送。暂停发送并退出吗？下次打开此活动时可以继续发送，不会有人收到两次。</translation>
    </message>
</context>
<context>
    <name>PreviewPage</name>
    <message>
        <source>Preview &amp;&amp; test</source>
        <extracomment>how long one chunk of &quot;Check all&quot; may hold the event loop before yielding</extracomment>
        <translation>预览和测试</translation>
    </message>
    <message>
        <source>First row</source>
        <translation>第一行</translation>
    </message>
    <message>
        <source>Previous row</source>
        <translation>上一行</translation>
    </message>
    <message>
        <source>Next row</source>
        <translation>下一行</translation>
    </message>
    <message>
        <source>Last row</source>
        <translation>最后一行</translation>
    </message>
    <message>
        <source>Go to recipient number</source>
        <translation>转到收件人序号</translation>
    </message>
    <message>
        <source>Find a recipient (any column)…</source>
        <translation>查找收件人（任意列）…</translation>
    </message>
    <message>
        <source>Find a recipient</source>
        <translation>查找收件人</translation>
    </message>
    <message>
        <source>&amp;Find next</source>
        <translation>查找下一个(&amp;F)</translation>
    </message>
    <message>
        <source>From:</source>
        <translation>发件人：</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>收件人：</translation>
    </message>
    <message>
        <source>Cc:</source>
        <translation>抄送：</translation>
    </message>
    <message>
        <source>Subject:</source>
        <translation>主题：</translation>
    </message>
    <message>
        <source>Attachments:</source>
        <translation>附件：</translation>
    </message>
    <message>
        <source>HTML</source>
        <translation>HTML</translation>
    </message>
    <message>
        <source>Plain text</source>
        <translation>纯文本</translation>
    </message>
    <message>
        <source>HTML preview</source>
        <translation>HTML 预览</translation>
    </message>
    <message>
        <source>Plain-text preview</source>
        <translation>纯文本预览</translation>
    </message>
    <message>
        <source>&amp;Check all</source>
        <translation>全部检查(&amp;C)</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>停止(&amp;T)</translation>
    </message>
    <message>
        <source>Send &amp;test to me…</source>
        <translation>发送测试邮件给我(&amp;T)…</translation>
    </message>
    <message>
        <source>Check progress</source>
        <translation>检查进度</translation>
    </message>
    <message>
        <source>Problems found</source>
        <translation>发现的问题</translation>
    </message>
    <message>
        <source>Not checked yet</source>
        <translation>尚未检查</translation>
    </message>
    <message>
        <source>Row {row} cannot be sent:</source>
        <translation>第 {row} 行无法发送：</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>{i} of {n} (row {row})</source>
        <translation>第 {i} 封，共 {n} 封（第 {row} 行）</translation>
    </message>
    <message>
        <source>0 of 0</source>
        <translation>0 / 0</translation>
    </message>
    <message>
        <source>No recipient matches “{text}”.</source>
        <translation>没有与“{text}”匹配的收件人。</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在检查…</translation>
    </message>
    <message>
        <source>{checked} of {rows} rows checked: {ok} can be sent, {bad} cannot; {errors} errors, {warnings} warnings.</source>
        <translation>已检查 {checked} / {rows} 行：{ok} 行可发送，{bad} 行不可发送；{errors} 个错误，{warnings} 个警告。</translation>
    </message>
    <message>
        <source>Check stopped early</source>
        <translation>检查已提前停止</translation>
    </message>
    <message>
        <source>Send test to me</source>
        <translation>发送测试邮件给我</translation>
    </message>
    <message>
        <source>Send this row&apos;s message, marked [TEST], to:</source>
        <translation>将这一行的邮件（标记为 [TEST]）发送到：</translation>
    </message>
    <message>
        <source>The test was not sent: {error}</source>
        <translation>测试邮件未发送：{error}</translation>
    </message>
    <message>
        <source>Test sent to {address}.</source>
        <translation>测试邮件已发送到 {address}。</translation>
    </message>
    <message>
        <source>Rendering row {row}…</source>
        <translation>正在生成第 {row} 行…</translation>
    </message>
</context>
<context>
    <name>ProblemLabels</name>
    <message>
        <source>unreadable file</source>
        <translation>文件无法读取</translation>
    </message>
    <message>
        <source>header renamed</source>
        <translation>表头已重命名</translation>
    </message>
    <message>
        <source>too many rows</source>
        <translation>行数过多</translation>
    </message>
    <message>
        <source>no email column</source>
        <translation>没有邮箱列</translation>
    </message>
    <message>
        <source>unknown column</source>
        <translation>未知的列</translation>
    </message>
    <message>
        <source>empty address</source>
        <translation>地址为空</translation>
    </message>
    <message>
        <source>invalid address</source>
        <translation>地址无效</translation>
    </message>
    <message>
        <source>several addresses</source>
        <translation>多个地址</translation>
    </message>
    <message>
        <source>duplicate</source>
        <translation>重复</translation>
    </message>
    <message>
        <source>needs SMTPUTF8</source>
        <translation>需要 SMTPUTF8</translation>
    </message>
    <message>
        <source>formula without value</source>
        <translation>公式没有值</translation>
    </message>
    <message>
        <source>template error</source>
        <translation>模板错误</translation>
    </message>
    <message>
        <source>unsafe header</source>
        <translation>不安全的标头</translation>
    </message>
    <message>
        <source>missing attachment</source>
        <translation>附件缺失</translation>
    </message>
    <message>
        <source>attachment refused</source>
        <translation>附件被拒绝</translation>
    </message>
    <message>
        <source>large attachments</source>
        <translation>附件过大</translation>
    </message>
    <message>
        <source>line too long</source>
        <translation>行过长</translation>
    </message>
    <message>
        <source>on the do-not-email list</source>
        <translation>在禁发名单中</translation>
    </message>
    <message>
        <source>invalid setting</source>
        <translation>设置无效</translation>
    </message>
    <message>
        <source>headers too large</source>
        <translation>邮件头过大</translation>
    </message>
</context>
<context>
    <name>ProblemsModel</name>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>line {n}</source>
        <translation>第 {n} 行</translation>
    </message>
</context>
<context>
    <name>ProfileStore</name>
    <message>
        <source>Local test outbox (nothing leaves this computer)</source>
        <translation>本地测试发件箱（邮件不会离开这台电脑）</translation>
    </message>
</context>
<context>
    <name>ProfilesDialog</name>
    <message>
        <source>SMTP profiles</source>
        <translation>SMTP 配置</translation>
    </message>
    <message>
        <source>Saved profiles</source>
        <translation>已保存的配置</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>新建(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>删除(&amp;D)</translation>
    </message>
    <message>
        <source>Profile &amp;name:</source>
        <translation>配置名称(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Provider:</source>
        <translation>服务商(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation>服务器(&amp;S)：</translation>
    </message>
    <message>
        <source>P&amp;ort:</source>
        <translation>端口(&amp;O)：</translation>
    </message>
    <message>
        <source>&amp;Encryption:</source>
        <translation>加密方式(&amp;E)：</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
        <source>Pass&amp;word:</source>
        <translation>密码(&amp;W)：</translation>
    </message>
    <message>
        <source>Sign-&amp;in:</source>
        <translation>登录方式(&amp;I)：</translation>
    </message>
    <message>
        <source>Trusted certi&amp;ficate:</source>
        <translation>受信任的证书(&amp;F)：</translation>
    </message>
    <message>
        <source>Per &amp;minute:</source>
        <translation>每分钟(&amp;M)：</translation>
    </message>
    <message>
        <source>Per &amp;hour:</source>
        <translation>每小时(&amp;H)：</translation>
    </message>
    <message>
        <source>Per &amp;day:</source>
        <translation>每天(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Connections:</source>
        <translation>连接数(&amp;C)：</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>TLS (port 465)</source>
        <translation>TLS（端口 465）</translation>
    </message>
    <message>
        <source>STARTTLS (port 587)</source>
        <translation>STARTTLS（端口 587）</translation>
    </message>
    <message>
        <source>None (not encrypted)</source>
        <translation>无（不加密）</translation>
    </message>
    <message>
        <source>kept only in the system keychain</source>
        <translation>只保存在系统钥匙串中</translation>
    </message>
    <message>
        <source>only for a self-hosted server with its own certificate (.pem file)</source>
        <translation>仅用于使用自有证书的自建服务器（.pem 文件）</translation>
    </message>
    <message>
        <source>Password or app password</source>
        <translation>密码或应用专用密码</translation>
    </message>
    <message>
        <source>Microsoft account (OAuth, no password)</source>
        <translation>Microsoft 账户（OAuth，无需密码）</translation>
    </message>
    <message>
        <source>App (c&amp;lient) ID:</source>
        <translation>应用（客户端）ID(&amp;L)：</translation>
    </message>
    <message>
        <source>Si&amp;gn in with Microsoft…</source>
        <translation>使用 Microsoft 登录(&amp;G)…</translation>
    </message>
    <message>
        <source>from your administrator (see docs/OAUTH.md); empty: Herald&apos;s own</source>
        <translation>由管理员提供（见 docs/OAUTH.md）；留空则使用 Herald 自带的</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>测试连接(&amp;T)</translation>
    </message>
    <message>
        <source>Sa&amp;ve profile</source>
        <translation>保存配置(&amp;V)</translation>
    </message>
    <message>
        <source>Give the profile a name (not “outbox”).</source>
        <translation>请为配置命名（不能是“outbox”）。</translation>
    </message>
    <message>
        <source>Fill in the server name.</source>
        <translation>请填写服务器名称。</translation>
    </message>
    <message>
        <source>Profile saved, but the password could not be kept: {error}</source>
        <translation>配置已保存，但密码无法保存：{error}</translation>
    </message>
    <message>
        <source>Profile “{name}” saved.</source>
        <translation>配置“{name}”已保存。</translation>
    </message>
    <message>
        <source>Connecting to {host}…</source>
        <translation>正在连接 {host}…</translation>
    </message>
    <message>
        <source>The test failed: {reply}</source>
        <translation>测试失败：{reply}</translation>
    </message>
    <message>
        <source>Could not connect: {error}</source>
        <translation>无法连接：{error}</translation>
    </message>
    <message>
        <source>Enter the app (client) ID that your administrator registered for Herald (docs/OAUTH.md explains how).</source>
        <translation>请填写管理员为 Herald 注册的应用（客户端）ID（注册方法见 docs/OAUTH.md）。</translation>
    </message>
    <message>
        <source>Fill in the user name (your e-mail address) first.</source>
        <translation>请先填写用户名（您的邮箱地址）。</translation>
    </message>
    <message>
        <source>Signed in as {user}.</source>
        <translation>已登录为 {user}。</translation>
    </message>
    <message>
        <source>Not signed in yet.</source>
        <translation>尚未登录。</translation>
    </message>
    <message>
        <source>Waiting for you to sign in in the browser…</source>
        <translation>正在等待您在浏览器中登录…</translation>
    </message>
    <message>
        <source>Signing in did not finish: {error}</source>
        <translation>登录未完成：{error}</translation>
    </message>
</context>
<context>
    <name>RecipientsModel</name>
    <message>
        <source>sent</source>
        <extracomment>custom roles</extracomment>
        <translation>已发送</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>deferred</source>
        <translation>已推迟</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>sending</source>
        <translation>发送中</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>待发送</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>excluded</source>
        <translation>已排除</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>duplicate</source>
        <translation>重复</translation>
    </message>
    <message>
        <source>warning: {kind}</source>
        <translation>警告：{kind}</translation>
    </message>
    <message>
        <source>problem: {kind}</source>
        <translation>问题：{kind}</translation>
    </message>
</context>
<context>
    <name>RecipientsPage</name>
    <message>
        <source>Recipients</source>
        <translation>收件人</translation>
    </message>
    <message>
        <source>&amp;Open workbook…</source>
        <translation>打开工作簿(&amp;O)…</translation>
    </message>
    <message>
        <source>Open an .xlsx or .csv file, or drop one on the window</source>
        <translation>打开 .xlsx 或 .csv 文件，或把文件拖到窗口上</translation>
    </message>
    <message>
        <source>S&amp;heet:</source>
        <translation>工作表(&amp;H)：</translation>
    </message>
    <message>
        <source>Sheet</source>
        <translation>工作表</translation>
    </message>
    <message>
        <source>Header &amp;row:</source>
        <translation>表头行(&amp;R)：</translation>
    </message>
    <message>
        <source>auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>Header row (0 finds it automatically)</source>
        <translation>表头行（0 表示自动查找）</translation>
    </message>
    <message>
        <source>Re&amp;load</source>
        <translation>重新读取(&amp;L)</translation>
    </message>
    <message>
        <source>Column roles</source>
        <translation>列的用途</translation>
    </message>
    <message>
        <source>&amp;Email:</source>
        <translation>邮箱(&amp;E)：</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>姓名(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Cc:</source>
        <translation>抄送(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;Bcc:</source>
        <translation>密送(&amp;B)：</translation>
    </message>
    <message>
        <source>Reply-&amp;to:</source>
        <translation>回复地址(&amp;T)：</translation>
    </message>
    <message>
        <source>A&amp;ttachments:</source>
        <translation>附件(&amp;T)：</translation>
    </message>
    <message>
        <source>&amp;Problems only</source>
        <translation>只看有问题的行(&amp;P)</translation>
    </message>
    <message>
        <source>Search any column…</source>
        <translation>在所有列中搜索…</translation>
    </message>
    <message>
        <source>Search recipients</source>
        <translation>搜索收件人</translation>
    </message>
    <message>
        <source>E&amp;xclude selected</source>
        <translation>排除所选(&amp;X)</translation>
    </message>
    <message>
        <source>&amp;Include selected</source>
        <translation>包含所选(&amp;I)</translation>
    </message>
    <message>
        <source>Recipients table</source>
        <translation>收件人表格</translation>
    </message>
    <message>
        <source>Recipient counts</source>
        <translation>收件人统计</translation>
    </message>
    <message>
        <source>Open workbook</source>
        <translation>打开工作簿</translation>
    </message>
    <message>
        <source>Workbooks (*.xlsx *.xlsm *.csv *.tsv *.txt)</source>
        <translation>工作簿 (*.xlsx *.xlsm *.csv *.tsv *.txt)</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>No workbook yet: open one or drop it here.</source>
        <translation>还没有工作簿：请打开一个或拖到这里。</translation>
    </message>
    <message>
        <source>{name} — header in row {row}</source>
        <translation>{name} — 表头在第 {row} 行</translation>
    </message>
    <message>
        <source>No recipients yet</source>
        <translation>还没有收件人</translation>
    </message>
    <message>
        <source>{rows} rows: {valid} valid, {invalid} invalid, {dup} duplicate, {excluded} excluded</source>
        <translation>共 {rows} 行：{valid} 有效，{invalid} 无效，{dup} 重复，{excluded} 已排除</translation>
    </message>
    <message>
        <source>, {count} on the do-not-email list</source>
        <translation>，{count} 行在禁发名单中</translation>
    </message>
    <message>
        <source>Choose the email column</source>
        <translation>请选择邮箱列</translation>
    </message>
    <message>
        <source>Nobody to send to</source>
        <translation>没有可发送的收件人</translation>
    </message>
</context>
<context>
    <name>ReportMailbox</name>
    <message>
        <source>{provider} files mail sent over SMTP in Sent by itself: a copy from Herald would be a duplicate.</source>
        <translation>{provider} 会自动把通过 SMTP 发出的邮件存入“已发送”：Herald 再存一份会重复。</translation>
    </message>
    <message>
        <source>Read bounces</source>
        <translation>读取退信</translation>
    </message>
    <message>
        <source>Reading {host}…</source>
        <translation>正在读取 {host}…</translation>
    </message>
    <message>
        <source>{bounces} bounces ({hard} hard, {soft} soft), {unsubscribes} unsubscribe requests; {added} addresses added to the do-not-email list.</source>
        <translation>{bounces} 封退信（{hard} 封硬退信，{soft} 封软退信），{unsubscribes} 个退订请求；{added} 个地址已加入禁发名单。</translation>
    </message>
    <message>
        <source>{known} bounces were known from an earlier reading.</source>
        <translation>其中 {known} 封退信在之前的读取中已记录。</translation>
    </message>
    <message>
        <source>{count} messages read; nothing in the mailbox was changed.</source>
        <translation>共读取 {count} 封邮件；邮箱中的内容未作任何改动。</translation>
    </message>
    <message>
        <source>Copy to Sent</source>
        <translation>存入已发送</translation>
    </message>
    <message>
        <source>Filed {copied} copies in {folder}; {already} were filed before, {present} were there already.</source>
        <translation>已在 {folder} 存入 {copied} 份副本；{already} 份之前已存入，{present} 份原本就在其中。</translation>
    </message>
    <message>
        <source>{n} sent messages could not be built again (the workbook or template changed since): no copy of them was filed.</source>
        <translation>{n} 封已发送的邮件无法重新生成（工作簿或模板已更改）：未存入它们的副本。</translation>
    </message>
</context>
<context>
    <name>ReportPage</name>
    <message>
        <source>Report</source>
        <translation>报告</translation>
    </message>
    <message>
        <source>Totals</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Sent:</source>
        <translation>已发送：</translation>
    </message>
    <message>
        <source>Failed:</source>
        <translation>失败：</translation>
    </message>
    <message>
        <source>Deferred (will be retried):</source>
        <translation>已推迟（将重试）：</translation>
    </message>
    <message>
        <source>Unknown:</source>
        <translation>未知：</translation>
    </message>
    <message>
        <source>Not sent yet:</source>
        <translation>尚未发送：</translation>
    </message>
    <message>
        <source>Skipped (not sendable or excluded):</source>
        <translation>已跳过（无法发送或已排除）：</translation>
    </message>
    <message>
        <source>Retry &amp;failed</source>
        <translation>重试失败的(&amp;F)</translation>
    </message>
    <message>
        <source>Resend &amp;unknown…</source>
        <translation>重发状态未知的(&amp;U)…</translation>
    </message>
    <message>
        <source>&amp;Export report…</source>
        <translation>导出报告(&amp;E)…</translation>
    </message>
    <message>
        <source>Open the &amp;Outbox folder</source>
        <translation>打开发件箱文件夹(&amp;O)</translation>
    </message>
    <message>
        <source>Read &amp;bounces…</source>
        <translation>读取退信(&amp;B)…</translation>
    </message>
    <message>
        <source>Read the account&apos;s inbox (read-only) for bounces of this campaign and for unsubscribe replies; hard bounces and unsubscribers go on the do-not-email list.</source>
        <translation>以只读方式读取账户收件箱中本活动的退信和退订回复；硬退信和退订者会加入禁发名单。</translation>
    </message>
    <message>
        <source>Copy to &amp;Sent…</source>
        <translation>存入已发送(&amp;S)…</translation>
    </message>
    <message>
        <source>S&amp;how:</source>
        <translation>显示(&amp;H)：</translation>
    </message>
    <message>
        <source>All rows</source>
        <translation>全部行</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>已发送</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Deferred</source>
        <translation>已推迟</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Not sent yet</source>
        <translation>尚未发送</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <source>Bounced</source>
        <translation>已退信</translation>
    </message>
    <message>
        <source>Show rows with status</source>
        <translation>按状态显示行</translation>
    </message>
    <message>
        <source>Every recipient&apos;s outcome</source>
        <translation>每位收件人的结果</translation>
    </message>
    <message>
        <source>“Unknown” means the message went out but the server&apos;s answer never arrived (the connection dropped after the last byte). The recipient may or may not have it, so Herald never resends these by itself: resending may deliver a second copy.</source>
        <translation>“未知”表示邮件已发出，但服务器的回复没有收到（最后一个字节发出后连接断开）。收件人可能收到了，也可能没有，因此 Herald 不会自动重发：重发可能导致对方收到两封。</translation>
    </message>
    <message>
        <source>Nothing sent yet for this campaign.</source>
        <translation>此活动尚未发送任何邮件。</translation>
    </message>
    <message>
        <source>{sent} of {total} rows have the message.</source>
        <translation>{total}行中有{sent}行已收到邮件。</translation>
    </message>
    <message>
        <source>{n} of them bounced afterwards (see Bounced below).</source>
        <translation>其中 {n} 行之后被退信（见下方“已退信”）。</translation>
    </message>
    <message>
        <source>{n} rows were skipped (see Skipped below for why).</source>
        <translation>跳过了{n}行（原因见下方“已跳过”）。</translation>
    </message>
    <message>
        <source>{n} not sent yet: continue from the Send page.</source>
        <translation>还有{n}封尚未发送：可在“发送”页继续。</translation>
    </message>
    <message>
        <source>{temporary} failed recipients had a temporary problem and will be retried. {permanent} were refused permanently by the server (for example, no such mailbox); sending to them again usually fails again and can harm your sender reputation. Retry those {permanent} too?</source>
        <translation>有{temporary}位失败的收件人只是遇到临时问题，将会重试。另有{permanent}位被服务器永久拒收（例如邮箱不存在）；再次发送通常仍会失败，还可能损害你的发件信誉。也要重试这{permanent}位吗？</translation>
    </message>
    <message>
        <source>All {permanent} failed recipients were refused permanently by the server (for example, no such mailbox); sending to them again usually fails again and can harm your sender reputation. Retry them anyway?</source>
        <translation>失败的{permanent}位收件人都被服务器永久拒收（例如邮箱不存在）；再次发送通常仍会失败，还可能损害你的发件信誉。仍要重试吗？</translation>
    </message>
    <message>
        <source>Retry failed</source>
        <translation>重试失败的邮件</translation>
    </message>
    <message>
        <source>Resend unknown</source>
        <translation>重发状态未知的邮件</translation>
    </message>
    <message>
        <source>Resend to these {n} recipients anyway?</source>
        <translation>仍要重发给这 {n} 位收件人吗？</translation>
    </message>
    <message>
        <source>Export report</source>
        <translation>导出报告</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx);;CSV (*.csv)</source>
        <translation>Excel 工作簿 (*.xlsx);;CSV (*.csv)</translation>
    </message>
    <message>
        <source>Only test runs so far (to the local test outbox): nothing was delivered to anyone.</source>
        <translation>目前只有测试发送（发到本地测试发件箱）：没有任何邮件送达收件人。</translation>
    </message>
</context>
<context>
    <name>ReportRows</name>
    <message>
        <source>sent</source>
        <translation>已发送</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>deferred</source>
        <translation>已推迟</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>not sent yet</source>
        <translation>尚未发送</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <source>bounced (hard)</source>
        <translation>已退信（硬）</translation>
    </message>
    <message>
        <source>bounced (soft)</source>
        <translation>已退信（软）</translation>
    </message>
    <message>
        <source>excluded by you</source>
        <translation>已由你排除</translation>
    </message>
    <message>
        <source>duplicate address</source>
        <translation>地址重复</translation>
    </message>
    <message>
        <source>not in this send (the workbook changed after it started?)</source>
        <translation>不在本次发送中（发送开始后工作簿有改动？）</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Reason or server reply</source>
        <translation>原因或服务器回复</translation>
    </message>
</context>
<context>
    <name>SendController</name>
    <message>
        <source>Sending stopped: {reason}</source>
        <translation>发送已停止：{reason}</translation>
    </message>
    <message>
        <source>Sending ended early: {reason}</source>
        <translation>发送提前结束：{reason}</translation>
    </message>
    <message>
        <source>{reason}; resuming at {time}.</source>
        <translation>{reason}；将于 {time} 继续。</translation>
    </message>
    <message>
        <source>Paused. Press Resume to carry on.</source>
        <translation>已暂停。按“继续”接着发送。</translation>
    </message>
    <message>
        <source>Paused: {reason}; resuming at {time}.</source>
        <translation>已暂停：{reason}；将于 {time} 继续。</translation>
    </message>
    <message>
        <source>Paused: {reason}. Press Resume when it is fixed.</source>
        <translation>已暂停：{reason}。问题解决后按“继续”。</translation>
    </message>
    <message>
        <source>The send stopped with an error: {error}</source>
        <translation>发送因错误而停止：{error}</translation>
    </message>
    <message>
        <source>Trying {lanes} of {configured} connections again.</source>
        <translation>重新尝试使用 {configured} 个连接中的 {lanes} 个。</translation>
    </message>
    <message>
        <source>Using {lanes} of {configured} connections: the server refuses more at once. One more is tried again later.</source>
        <translation>正在使用 {configured} 个连接中的 {lanes} 个：服务器不接受更多同时连接。稍后会再尝试多开一个。</translation>
    </message>
    <message>
        <source>Using {lanes} of {configured} connections: the server accepts them.</source>
        <translation>正在使用 {configured} 个连接中的 {lanes} 个：服务器接受这些连接。</translation>
    </message>
</context>
<context>
    <name>SendPage</name>
    <message>
        <source>Schedule (local time; empty = any time)</source>
        <translation>发送计划（本地时间；留空表示任何时间）</translation>
    </message>
    <message>
        <source>Start &amp;at:</source>
        <translation>开始时间(&amp;A)：</translation>
    </message>
    <message>
        <source>Sending hou&amp;rs:</source>
        <translation>发送时段(&amp;R)：</translation>
    </message>
    <message>
        <source>Sending da&amp;ys:</source>
        <translation>发送日(&amp;Y)：</translation>
    </message>
    <message>
        <source>e.g. 2026-12-08 09:00</source>
        <translation>例如 2026-12-08 09:00</translation>
    </message>
    <message>
        <source>e.g. 09:00-18:00</source>
        <translation>例如 09:00-18:00</translation>
    </message>
    <message>
        <source>e.g. mon-fri</source>
        <translation>例如 mon-fri（周一至周五）</translation>
    </message>
    <message>
        <source>Start sending at (date and time)</source>
        <translation>开始发送的日期和时间</translation>
    </message>
    <message>
        <source>Sending hours, from-to</source>
        <translation>发送时段（起止时间）</translation>
    </message>
    <message>
        <source>Sending days</source>
        <translation>发送日</translation>
    </message>
    <message>
        <source>Schedule: {error}</source>
        <translation>发送计划：{error}</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Limits (0 = no limit)</source>
        <translation>限速（0 表示不限）</translation>
    </message>
    <message>
        <source>Per &amp;second:</source>
        <translation>每秒(&amp;S)：</translation>
    </message>
    <message>
        <source>Per &amp;minute:</source>
        <translation>每分钟(&amp;M)：</translation>
    </message>
    <message>
        <source>Per &amp;hour:</source>
        <translation>每小时(&amp;H)：</translation>
    </message>
    <message>
        <source>Per &amp;day:</source>
        <translation>每天(&amp;D)：</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>C&amp;onnections:</source>
        <translation>连接数(&amp;O)：</translation>
    </message>
    <message>
        <source>P&amp;ause between messages (s):</source>
        <translation>每封间隔(&amp;A)（秒）：</translation>
    </message>
    <message>
        <source>Random e&amp;xtra pause up to (s):</source>
        <translation>随机额外间隔上限(&amp;X)（秒）：</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>连接数</translation>
    </message>
    <message>
        <source>Messages per co&amp;nnection:</source>
        <translation>每个连接的邮件数(&amp;N)：</translation>
    </message>
    <message>
        <source>Messages per connection before reconnecting</source>
        <translation>重新连接前每个连接发送的邮件数</translation>
    </message>
    <message>
        <source>&amp;Bandwidth cap (KB/s):</source>
        <translation>带宽上限（KB/秒）(&amp;B)：</translation>
    </message>
    <message>
        <source>Bandwidth cap in kilobytes per second</source>
        <translation>带宽上限，单位为千字节每秒</translation>
    </message>
    <message>
        <source>Pause between messages in seconds</source>
        <translation>每封邮件之间的间隔（秒）</translation>
    </message>
    <message>
        <source>Random extra pause in seconds</source>
        <translation>随机额外间隔（秒）</translation>
    </message>
    <message>
        <source>Checking the messages of the first rows…</source>
        <translation>正在检查前几行的邮件…</translation>
    </message>
    <message>
        <source>{count} row(s) cannot be sent and were left out (see the send log): {error}</source>
        <translation>有 {count} 行无法发送，已跳过（见发送日志）：{error}</translation>
    </message>
    <message>
        <source>{done}/{total} · sent {sent} · failed {failed} · deferred {deferred} · unknown {unknown} · {rate} · ETA {eta}</source>
        <translation>{done}/{total} · 已发送{sent} · 失败{failed} · 已推迟{deferred} · 未知{unknown} · {rate} · 预计完成{eta}</translation>
    </message>
    <message>
        <source>Nothing sent</source>
        <translation>未发送任何邮件</translation>
    </message>
    <message>
        <source>{n} left to send</source>
        <translation>还剩{n}封待发送</translation>
    </message>
    <message>
        <source>&amp;Continue: {n} left</source>
        <translation>继续(&amp;C)：还剩{n}封</translation>
    </message>
    <message>
        <source>&amp;Start sending…</source>
        <translation>开始发送(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>暂停(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>继续(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>取消(&amp;C)</translation>
    </message>
    <message>
        <source>Send progress</source>
        <translation>发送进度</translation>
    </message>
    <message>
        <source>Sending rate chart</source>
        <translation>发送速率图</translation>
    </message>
    <message>
        <source>Cancel sending?</source>
        <translation>取消发送？</translation>
    </message>
    <message>
        <source>Stop sending now? Messages already on their way finish; the other {n} recipients stay queued and you can continue later. Nobody gets a message twice.</source>
        <translation>现在停止发送吗？已在发送途中的邮件会发完；其余{n}位收件人保留在队列中，之后可以继续。不会有人收到两次。</translation>
    </message>
    <message>
        <source>/min</source>
        <translation>封/分钟</translation>
    </message>
    <message>
        <source>/s</source>
        <translation>封/秒</translation>
    </message>
    <message>
        <source>messages in the last minute</source>
        <translation>最近一分钟内的邮件数</translation>
    </message>
    <message>
        <source>messages per minute</source>
        <translation>每分钟邮件数</translation>
    </message>
    <message>
        <source>messages in the last second</source>
        <translation>最近一秒内的邮件数</translation>
    </message>
    <message>
        <source>limit</source>
        <translation>上限</translation>
    </message>
    <message>
        <source>S&amp;how:</source>
        <translation>显示(&amp;H)：</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>已发送</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Deferred</source>
        <translation>已推迟</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Show log entries with status</source>
        <translation>按状态显示日志</translation>
    </message>
    <message>
        <source>Search the log…</source>
        <translation>搜索日志…</translation>
    </message>
    <message>
        <source>Search the log</source>
        <translation>搜索日志</translation>
    </message>
    <message>
        <source>C&amp;opy</source>
        <translation>复制(&amp;O)</translation>
    </message>
    <message>
        <source>Copy the selected log lines</source>
        <translation>复制所选日志行</translation>
    </message>
    <message>
        <source>Send log</source>
        <translation>发送日志</translation>
    </message>
    <message>
        <source>Account: {account}</source>
        <translation>账户：{account}</translation>
    </message>
    <message>
        <source>{count} recipients; at these limits about {duration}.</source>
        <translation>{count} 位收件人；按当前限速约需 {duration}。</translation>
    </message>
    <message>
        <source>Attachments to send: {count}, {size} in all</source>
        <translation>要发送的附件：{count} 个，共 {size}</translation>
    </message>
    <message>
        <source>  … and {count} more</source>
        <translation>  …… 另有 {count} 个</translation>
    </message>
    <message>
        <source>Start sending</source>
        <translation>开始发送</translation>
    </message>
    <message>
        <source>Send {count} messages from {sender} through {account}?</source>
        <translation>通过 {account} 以 {sender} 的名义发送 {count} 封邮件吗？</translation>
    </message>
    <message>
        <source>Could not start: {error}</source>
        <translation>无法开始：{error}</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>正在发送…</translation>
    </message>
    <message>
        <source>Waiting for the limits</source>
        <translation>正在按限速等待</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>尚未开始</translation>
    </message>
    <message>
        <source>messages per second (5 s average)</source>
        <translation>每秒邮件数（5秒平均）</translation>
    </message>
    <message>
        <source>{n} s</source>
        <translation>{n}秒</translation>
    </message>
    <message>
        <source>{n}/min</source>
        <translation>{n}封/分钟</translation>
    </message>
    <message>
        <source>{n}/s</source>
        <translation>{n}封/秒</translation>
    </message>
    <message>
        <source>Resume sending?</source>
        <translation>继续发送吗？</translation>
    </message>
    <message>
        <source>The last send of this campaign was interrupted with {n} recipients still to go. Resume it now? Nobody who already got the message will get it again.</source>
        <translation>此活动上次发送被中断，还有 {n} 位收件人未发送。现在继续吗？已经收到邮件的人不会再次收到。</translation>
    </message>
    <message>
        <source>Send for &amp;real now…</source>
        <translation>正式发送(&amp;R)…</translation>
    </message>
    <message>
        <source>Send for real now through a real account</source>
        <translation>通过真实账户正式发送</translation>
    </message>
    <message>
        <source>Start o&amp;ver…</source>
        <translation>重新开始(&amp;V)…</translation>
    </message>
    <message>
        <source>Start this campaign over (the old record is kept)</source>
        <translation>重新开始此活动（保留旧记录）</translation>
    </message>
    <message>
        <source>TEST — nothing leaves this computer</source>
        <translation>测试——邮件不会离开这台电脑</translation>
    </message>
    <message>
        <source>The account “{name}” is not saved on this computer. Choose an account on Compose.</source>
        <translation>本机没有保存账户“{name}”。请在“撰写”页选择一个账户。</translation>
    </message>
    <message>
        <source>The account “{name}” has no server set. Fix it in SMTP profiles.</source>
        <translation>账户“{name}”没有设置服务器。请在 SMTP 配置中修改。</translation>
    </message>
    <message>
        <source>{name} (not saved on this computer)</source>
        <translation>{name}（本机未保存此账户）</translation>
    </message>
    <message>
        <source>Local test outbox (nothing leaves this computer)</source>
        <translation>本地测试发件箱（邮件不会离开这台电脑）</translation>
    </message>
    <message>
        <source>the local test outbox</source>
        <translation>本地测试发件箱</translation>
    </message>
    <message>
        <source>{account} (From {sender})</source>
        <translation>{account}（发件人{sender}）</translation>
    </message>
    <message>
        <source>No recipient can be sent to: fix the rows marked on Recipients.</source>
        <translation>没有可以发送的收件人：请修正“收件人”页中标出的行。</translation>
    </message>
    <message>
        <source>This campaign was already sent through this computer (see Report). Use Start over to send it again.</source>
        <translation>此活动已经在这台电脑上发送过（见“报告”）。要再次发送，请点“重新开始”。</translation>
    </message>
    <message>
        <source>The message cannot be filled in for any of the first rows: {error}</source>
        <translation>前面的各行都无法填入邮件内容：{error}</translation>
    </message>
    <message>
        <source>Start over</source>
        <translation>重新开始</translation>
    </message>
    <message>
        <source>Start this campaign over? The next Start sends to every recipient again, including the {done} who already have a result. The old record is kept as {file}.</source>
        <translation>要重新开始此活动吗？下次开始时会再次发给每位收件人，包括已有结果的{done}位。旧记录会保留为{file}。</translation>
    </message>
    <message>
        <source>Could not start over: {error}</source>
        <translation>无法重新开始：{error}</translation>
    </message>
    <message>
        <source>Send for real</source>
        <translation>正式发送</translation>
    </message>
    <message>
        <source>Send through:</source>
        <translation>通过此账户发送：</translation>
    </message>
    <message>
        <source>Another account</source>
        <translation>账户不同</translation>
    </message>
    <message>
        <source>This send was started through {started}. The account chosen now is {chosen}. Continue the remaining {n} through {chosen}?</source>
        <translation>这次发送开始时使用的是{started}，现在选择的账户是{chosen}。要通过{chosen}继续发送剩下的{n}封吗？</translation>
    </message>
    <message>
        <source>Test: send {count} messages from {sender} to the local test outbox? Nothing leaves this computer and the campaign is not marked as sent.</source>
        <translation>测试：以{sender}的名义将{count}封邮件发送到本地测试发件箱？邮件不会离开这台电脑，此活动也不会被记为已发送。</translation>
    </message>
    <message>
        <source>Test finished: nothing was delivered</source>
        <translation>测试完成：没有邮件送达</translation>
    </message>
    <message>
        <source>It was being sent through {account}.</source>
        <translation>当时是通过{account}发送的。</translation>
    </message>
</context>
<context>
    <name>SlowRows</name>
    <message>
        <source>The template takes too long to fill in the message of row {row} (more than {seconds} s for one message). Make its loops smaller and check it on Preview.</source>
        <translation>模板填写第 {row} 行的邮件用时过长（每封超过 {seconds} 秒）。请缩小模板中的循环，并在“预览”中检查。</translation>
    </message>
    <message>
        <source>Not filled in: the template took too long on an earlier row (more than {seconds} s for one message), so row {row} was not tried. Make its loops smaller and check it on Preview.</source>
        <translation>未填写：模板在前面的某一行用时过长（每封超过 {seconds} 秒），因此没有尝试第 {row} 行。请缩小模板中的循环，并在“预览”中检查。</translation>
    </message>
    <message>
        <source>The template makes the message of row {row} too large (more than {size} of text). Make what it repeats or multiplies smaller and check it on Preview.</source>
        <translation>模板生成的第 {row} 行邮件过大（文本超过 {size}）。请减少模板中重复或相乘的内容，并在“预览”中检查。</translation>
    </message>
</context>
</TS>
